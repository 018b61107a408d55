package cli

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress prints "rendered N/M: app" on one terminal line, only once the
// run has taken more than a second (short runs stay silent).
type progress struct {
	w     io.Writer
	start time.Time
	mu    sync.Mutex
	shown bool
}

func newProgress(w io.Writer) *progress { return &progress{w: w, start: time.Now()} }

func (p *progress) update(done, total int, current string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.start) < time.Second {
		return
	}
	p.shown = true
	fmt.Fprintf(p.w, "\r\033[Krendered %d/%d: %s", done, total, current)
	if done == total {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
