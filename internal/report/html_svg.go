package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"time"
)

// SVG plots drawn by hand: a grouped bar chart of object counts and a step
// chart per HPA simulation. Every user string goes through esc; numbers
// are formatted by us. Native <title> elements give the hover text, so the
// plots need no script.

// envColors are the bar colours of environments, in order; they cycle.
var envColors = []string{"#3b6fd8", "#e08a1e", "#2f9e6e", "#9b59b6", "#d64550", "#6c7a89"}

func esc(s string) string { return html.EscapeString(clean(s)) }

// objectsSVG draws one horizontal bar per app × environment, grouped by
// app, with a legend of environments.
func objectsSVG(m htmlMatrix) template.HTML {
	if len(m.Rows) == 0 {
		return ""
	}
	const width, label, barH, gap, top = 360.0, 110.0, 12.0, 10.0, 28.0
	maxObjects := 1
	for _, r := range m.Rows {
		for _, c := range r.Cells {
			maxObjects = max(maxObjects, c.Objects)
		}
	}
	groupH := float64(len(m.Envs))*barH + gap
	height := top + float64(len(m.Rows))*groupH + 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot" viewBox="0 0 %.0f %.0f" role="img" aria-label="Rendered objects per app and environment">`, width, height)
	x := 0.0
	for i, env := range m.Envs {
		fmt.Fprintf(&b, `<rect x="%.1f" y="6" width="10" height="10" fill="%s"/><text x="%.1f" y="15" class="legend">%s</text>`,
			x, envColors[i%len(envColors)], x+14, esc(envLabel(env)))
		x += 22 + 7*float64(len([]rune(envLabel(env))))
	}
	scale := (width - label - 40) / float64(maxObjects)
	for i, r := range m.Rows {
		y0 := top + float64(i)*groupH
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="axis" text-anchor="end">%s</text>`, label-6, y0+groupH/2, esc(shorten(r.App, 16)))
		for j, c := range r.Cells {
			y := y0 + float64(j)*barH
			w := math.Max(float64(c.Objects)*scale, 0)
			tip := fmt.Sprintf("%s in %s: %d objects", r.App, envLabel(m.Envs[j]), c.Objects)
			if !c.Present {
				tip = fmt.Sprintf("%s: no target in %s", r.App, envLabel(m.Envs[j]))
			}
			fmt.Fprintf(&b, `<g><title>%s</title><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`,
				esc(tip), label, y, math.Max(w, 1), barH-2, envColors[j%len(envColors)])
			if c.Present {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="val">%d</text>`, label+w+4, y+barH-3, c.Objects)
			}
			b.WriteString(`</g>`)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func envLabel(env string) string {
	if env == "" {
		return "(no env)"
	}
	return env
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// htmlHPA is one HPA of one target with its scale-down and scale-up plots.
type htmlHPA struct {
	Title, Target string
	Panels        []htmlPanel
}

type htmlPanel struct {
	Caption string
	SVG     template.HTML
}

func hpaPlots(res *Result) []htmlHPA {
	var out []htmlHPA
	for _, t := range res.Targets {
		var cur *htmlHPA
		for _, s := range t.Series {
			title := clean(s.Object.String())
			if title == "" {
				title = clean(s.Label)
			}
			if cur == nil || cur.Title != title {
				out = append(out, htmlHPA{Title: title, Target: targetName(t.App, t.Env)})
				cur = &out[len(out)-1]
			}
			cur.Panels = append(cur.Panels, htmlPanel{Caption: seriesCaption(s), SVG: seriesSVG(s)})
		}
	}
	return out
}

func seriesCaption(s HPASeries) string {
	from, to, what := s.Max, s.Min, "scale-down"
	if s.Direction == "up" {
		from, to, what = s.Min, s.Max, "scale-up"
	}
	if n := len(s.Points); s.Reached && n > 0 {
		// Scale-up can end inside the tolerance, short of maxReplicas.
		to = s.Points[n-1].Replicas
	}
	if !s.Reached {
		return fmt.Sprintf("%s %d → %d: not reached in %s", what, from, to, fmtSeconds(s.Seconds))
	}
	return fmt.Sprintf("%s %d → %d: %s", what, from, to, fmtSeconds(s.Seconds))
}

// seriesSVG draws replicas over time as a step line, with a dot at every
// change whose hover text names the sync, the counts and what limited it.
func seriesSVG(s HPASeries) template.HTML {
	const width, height, left, right, top, bottom = 360.0, 190.0, 34.0, 12.0, 12.0, 26.0
	end := s.Seconds
	for _, p := range s.Points {
		end = math.Max(end, p.Seconds)
	}
	if end <= 0 {
		end = 60
	}
	end *= 1.04
	yMax := float64(max(s.Max, 1)) * 1.1
	px := func(sec float64) float64 { return left + sec/end*(width-left-right) }
	py := func(r int) float64 { return top + (1-float64(r)/yMax)*(height-top-bottom) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, width, height, esc(seriesCaption(s)))
	// Axes, the min/max guides and time ticks.
	fmt.Fprintf(&b, `<line class="ax" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, left, height-bottom, width-right, height-bottom)
	fmt.Fprintf(&b, `<line class="ax" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, left, top, left, height-bottom)
	for _, r := range uniq(s.Min, s.Max) {
		y := py(r)
		fmt.Fprintf(&b, `<line class="guide" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/><text class="axis" x="%.1f" y="%.1f" text-anchor="end">%d</text>`,
			left, y, width-right, y, left-4, y+4, r)
	}
	step := tickStep(end)
	for t := 0.0; t <= end; t += step {
		x := px(t)
		fmt.Fprintf(&b, `<line class="ax" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/><text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`,
			x, height-bottom, x, height-bottom+4, x, height-bottom+16, fmtSeconds(t))
	}
	if len(s.Points) == 0 {
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	var d strings.Builder
	fmt.Fprintf(&d, "M%.1f %.1f", px(s.Points[0].Seconds), py(s.Points[0].Replicas))
	for _, p := range s.Points[1:] {
		fmt.Fprintf(&d, "H%.1fV%.1f", px(p.Seconds), py(p.Replicas))
	}
	fmt.Fprintf(&d, "H%.1f", px(end))
	fmt.Fprintf(&b, `<path class="line line-%s" d="%s"/>`, esc(s.Direction), d.String())
	prev := s.Points[0].Replicas
	for i, p := range s.Points {
		tip := fmt.Sprintf("%s: %d replicas", fmtSeconds(p.Seconds), p.Replicas)
		if i > 0 && p.Replicas != prev {
			tip = fmt.Sprintf("%s: %d → %d replicas", fmtSeconds(p.Seconds), prev, p.Replicas)
		}
		if p.LimitedBy != "" {
			tip += "; limited by " + p.LimitedBy
		}
		fmt.Fprintf(&b, `<g class="pt"><title>%s</title><circle cx="%.1f" cy="%.1f" r="3.5"/></g>`, esc(tip), px(p.Seconds), py(p.Replicas))
		prev = p.Replicas
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func uniq(a, b int) []int {
	if a == b {
		return []int{a}
	}
	return []int{a, b}
}

// tickStep picks a round time step giving at most five ticks.
func tickStep(end float64) float64 {
	for _, s := range []float64{15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 4 * 3600, 6 * 3600, 12 * 3600, 86400} {
		if end/s <= 5 {
			return s
		}
	}
	return math.Ceil(end/5/86400) * 86400
}

// fmtSeconds renders a duration compactly: "45s", "4m45s", "2h", "1h30m".
func fmtSeconds(sec float64) string {
	d := time.Duration(math.Round(sec)) * time.Second
	s := d.String()
	// Drop zero trailing units only: "15m0s" → "15m", "2h0m0s" → "2h",
	// but "2h37m30s" stays.
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
