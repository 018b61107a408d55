package hpa

import (
	"fmt"
	"strings"
	"time"
)

// Change is one rescale in a simulated series.
type Change struct {
	At        time.Duration
	From, To  int32
	LimitedBy string
}

// Changes lists the syncs of steps that changed the replica count.
func Changes(steps []Step) []Change {
	var out []Change
	for _, s := range steps {
		if s.Replicas != s.Current {
			out = append(out, Change{At: s.At, From: s.Current, To: s.Replicas, LimitedBy: s.LimitedBy})
		}
	}
	return out
}

// Timeline summarizes the rescales of steps as one line of text, e.g.
// "10 → 9 at 4m45s (policy Pods 1/60s); 9 → 1 in 8 steps of 1 every 1m0s,
// 5m45s–12m45s (policy Pods 1/60s)". Three or more evenly spaced changes of the
// same size and cause collapse into one "in N steps" item. A series without a
// change reads "no change", followed by the last cause when one held it.
func Timeline(steps []Step) string {
	changes := Changes(steps)
	if len(changes) == 0 {
		if n := len(steps); n > 0 && steps[n-1].LimitedBy != "" {
			return fmt.Sprintf("no change (%s)", steps[n-1].LimitedBy)
		}
		return "no change"
	}
	var items []string
	for i := 0; i < len(changes); {
		j := runEnd(changes, i)
		if j-i >= 3 {
			first, last := changes[i], changes[j-1]
			items = append(items, fmt.Sprintf("%d → %d in %d steps of %d every %s, %s–%s%s",
				first.From, last.To, j-i, abs32(first.To-first.From), changes[i+1].At-first.At,
				first.At, last.At, cause(first.LimitedBy)))
			i = j
			continue
		}
		c := changes[i]
		items = append(items, fmt.Sprintf("%d → %d at %s%s", c.From, c.To, c.At, cause(c.LimitedBy)))
		i++
	}
	return strings.Join(items, "; ")
}

// runEnd returns the end (exclusive) of the run of changes starting at i that
// share step size, spacing and cause, each starting where the previous ended.
func runEnd(cs []Change, i int) int {
	j := i + 1
	for j < len(cs) {
		prev, c := cs[j-1], cs[j]
		if c.From != prev.To || c.To-c.From != cs[i].To-cs[i].From || c.LimitedBy != cs[i].LimitedBy {
			break
		}
		if j-i >= 2 && c.At-prev.At != cs[i+1].At-cs[i].At {
			break
		}
		j++
	}
	return j
}

func cause(by string) string {
	if by == "" {
		return ""
	}
	return " (" + by + ")"
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}
