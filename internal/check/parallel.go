package check

import (
	"context"
	"runtime"
	"sync"
)

// forEachParallel calls fn(i) for every i in [0, n) on GOMAXPROCS
// goroutines and returns when all calls have returned. Calls not yet
// started when ctx ends are skipped. fn writes its result to slot i of a
// slice the caller owns, so the caller reads them back in order and the
// output stays deterministic.
//
// Checks whose work is per Target use it: the runner gives each check one
// goroutine, and a check that walks 500 Targets alone would leave the
// other cores idle once the smaller checks are done.
func forEachParallel(ctx context.Context, n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n && ctx.Err() == nil; i++ {
			fn(i)
		}
		return
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= n || ctx.Err() != nil {
			return 0, false
		}
		next++
		return next - 1, true
	}
	for range workers {
		wg.Go(func() {
			for i, ok := take(); ok; i, ok = take() {
				fn(i)
			}
		})
	}
	wg.Wait()
}
