package hpa

import "time"

// recommendation is one unstabilized recommendation the controller remembers
// (timestampedRecommendation in horizontal.go).
type recommendation struct {
	value int32
	at    time.Duration
}

// scaleEvent is one remembered rescale (timestampedScaleEvent): change is the
// absolute number of pods added or removed.
type scaleEvent struct {
	change   int32
	at       time.Duration
	outdated bool
}

// history is the per-HPA memory of the controller: the recommendations list
// and the scale-up and scale-down event lists. The slot-reuse rules of the
// controller are kept so list contents match it entry for entry; they never
// change a decision, because a reused slot was already outside every window.
type history struct {
	recs     []recommendation
	up, down []scaleEvent
}

// inside reports whether an entry stamped at is within the window that ends
// at now; an age equal to the window is outside (see the package doc).
func inside(at, now, window time.Duration) bool {
	return now-at < window
}

func seconds(s int32) time.Duration { return time.Duration(s) * time.Second }

// stabilize is stabilizeRecommendationWithBehaviors: the lowest recent
// recommendation within the scale-up window and the highest within the
// scale-down window bound the result, starting from the current count, and
// desired is remembered, reusing the last slot outside both windows.
func (h *history) stabilize(now time.Duration, upWindow, downWindow time.Duration, current, desired int32) int32 {
	upRec, downRec := desired, desired
	old := -1
	for i, r := range h.recs {
		inUp, inDown := inside(r.at, now, upWindow), inside(r.at, now, downWindow)
		if inUp {
			upRec = min(upRec, r.value)
		}
		if inDown {
			downRec = max(downRec, r.value)
		}
		if !inUp && !inDown {
			old = i
		}
	}
	out := current
	if out < upRec {
		out = upRec
	}
	if out > downRec {
		out = downRec
	}
	h.remember(old, recommendation{value: desired, at: now})
	return out
}

// stabilizeLegacy is stabilizeRecommendation, used when spec.behavior is
// absent: the highest recommendation within the controller's downscale
// window, or desired when higher. There is no scale-up window.
func (h *history) stabilizeLegacy(now, window time.Duration, desired int32) int32 {
	out := desired
	old := -1
	for i, r := range h.recs {
		if !inside(r.at, now, window) {
			old = i
		} else if r.value > out {
			out = r.value
		}
	}
	h.remember(old, recommendation{value: desired, at: now})
	return out
}

func (h *history) remember(old int, r recommendation) {
	if old >= 0 {
		h.recs[old] = r
		return
	}
	h.recs = append(h.recs, r)
}

// changeInPeriod is getReplicasChangePerPeriod: the pods changed by the
// events within the period ending at now.
func changeInPeriod(events []scaleEvent, now time.Duration, periodSeconds int32) int32 {
	var sum int32
	for _, e := range events {
		if inside(e.at, now, seconds(periodSeconds)) {
			sum += e.change
		}
	}
	return sum
}

// store is storeScaleEvent for an HPA with a behavior: events older than the
// direction's longest policy period are marked outdated, and the new event
// takes the last outdated slot or is appended.
func (h *history) store(eb EffectiveBehavior, now time.Duration, prev, next int32) {
	list, rules, change := &h.down, eb.ScaleDown, prev-next
	if next > prev {
		list, rules, change = &h.up, eb.ScaleUp, next-prev
	}
	longest := seconds(longestPeriod(rules))
	old := -1
	for i := range *list {
		if !inside((*list)[i].at, now, longest) {
			(*list)[i].outdated = true
		}
		if (*list)[i].outdated {
			old = i
		}
	}
	e := scaleEvent{change: change, at: now}
	if old >= 0 {
		(*list)[old] = e
		return
	}
	*list = append(*list, e)
}

func longestPeriod(r EffectiveRules) int32 {
	var longest int32
	for _, p := range r.Policies {
		longest = max(longest, p.PeriodSeconds)
	}
	return longest
}
