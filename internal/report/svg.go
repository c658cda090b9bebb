package report

import (
	"fmt"
	"html"
	"strings"
)

// Chart geometry, in SVG user units.
const (
	chartW, chartH = 480, 220
	padL, padB     = 44, 36
	padT, padR     = 24, 12
)

var priorityColors = map[string]string{"P0": "#b2182b", "P1": "#ef8a62", "P2": "#67a9cf", "P3": "#2166ac"}

func colorOf(p string) string {
	if c, ok := priorityColors[p]; ok {
		return c
	}
	return "#999999"
}

func svgOpen(b *strings.Builder, id, title string) {
	fmt.Fprintf(b, "<figure><svg id=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n",
		id, chartW, chartH, chartW, chartH, html.EscapeString(title))
	fmt.Fprintf(b, "<text x=\"%d\" y=\"14\" font-weight=\"bold\">%s</text>\n", padL, html.EscapeString(title))
	fmt.Fprintf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", padL, chartH-padB, chartW-padR, chartH-padB)
}

func svgClose(b *strings.Builder) { b.WriteString("</svg></figure>\n") }

// volumeChart: stacked bars of the weekly volume by priority.
func (r *Report) volumeChart() string {
	var b strings.Builder
	svgOpen(&b, "chart-volume", "Tickets per week by priority")
	maxV := 1
	for _, p := range r.Trend {
		maxV = max(maxV, p.Volume)
	}
	plotH := float64(chartH - padB - padT)
	slot := float64(chartW-padL-padR) / float64(max(1, len(r.Trend)))
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>\n", padL-4, padT+4, maxV)
	for i, p := range r.Trend {
		x := float64(padL) + float64(i)*slot + slot*0.15
		y := float64(chartH - padB)
		for _, c := range p.ByPriority {
			if c.Count == 0 {
				continue
			}
			h := plotH * float64(c.Count) / float64(maxV)
			y -= h
			fmt.Fprintf(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %d</title></rect>\n",
				x, y, slot*0.7, h, colorOf(c.Name), html.EscapeString(p.Week), html.EscapeString(c.Name), c.Count)
		}
		fmt.Fprintf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n", x+slot*0.35, y-3, p.Volume)
		fmt.Fprintf(&b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x+slot*0.35, chartH-padB+14, html.EscapeString(strings.SplitN(p.Week, "-", 2)[1]))
	}
	svgClose(&b)
	return b.String()
}

// frtChart: mean first response per priority as bars, the SLA target as
// a dark mark on each.
func (r *Report) frtChart() string {
	var b strings.Builder
	svgOpen(&b, "chart-frt", "First response against the SLA (hours)")
	maxS := 1.0
	for _, p := range r.FRTByPriority {
		if p.MeanSeconds != nil {
			maxS = max(maxS, *p.MeanSeconds)
		}
		if p.TargetSeconds != nil {
			maxS = max(maxS, *p.TargetSeconds)
		}
	}
	plotH := float64(chartH - padB - padT)
	slot := float64(chartW-padL-padR) / float64(max(1, len(r.FRTByPriority)))
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.1f</text>\n", padL-4, padT+4, maxS/3600)
	for i, p := range r.FRTByPriority {
		x := float64(padL) + float64(i)*slot + slot*0.2
		base := float64(chartH - padB)
		if p.MeanSeconds != nil {
			h := plotH * *p.MeanSeconds / maxS
			fmt.Fprintf(&b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s mean first response %s</title></rect>\n",
				x, base-h, slot*0.6, h, colorOf(p.Priority), html.EscapeString(p.Priority), dur(p.MeanSeconds))
		} else {
			fmt.Fprintf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x+slot*0.3, base-4, Unknown)
		}
		if p.TargetSeconds != nil {
			y := base - plotH**p.TargetSeconds/maxS
			fmt.Fprintf(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" stroke-width=\"3\"><title>%s SLA %s</title></line>\n",
				x-4, y, x+slot*0.6+4, y, html.EscapeString(p.Priority), dur(p.TargetSeconds))
		}
		fmt.Fprintf(&b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x+slot*0.3, chartH-padB+14, html.EscapeString(p.Priority))
	}
	svgClose(&b)
	return b.String()
}

// mixChart: the week's priority mix as one horizontal stacked bar.
func (r *Report) mixChart() string {
	var b strings.Builder
	svgOpen(&b, "chart-mix", "Priority mix, "+r.Week)
	total := r.Volume.Total
	x := float64(padL)
	width := float64(chartW - padL - padR)
	if total == 0 {
		fmt.Fprintf(&b, "<text x=\"%d\" y=\"%d\">no tickets</text>\n", padL, chartH/2)
	}
	for i, c := range r.Volume.ByPriority {
		if total == 0 {
			break
		}
		wd := width * float64(c.Count) / float64(total)
		if c.Count > 0 {
			fmt.Fprintf(&b, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"40\" fill=\"%s\"><title>%s: %d</title></rect>\n",
				x, padT+30, wd, colorOf(c.Name), html.EscapeString(c.Name), c.Count)
		}
		x += wd
		fmt.Fprintf(&b, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s %d (%.0f%%)</text>\n",
			padL+(i%3)*140, padT+90+(i/3)*20, colorOf(c.Name), padL+(i%3)*140+14, padT+99+(i/3)*20, html.EscapeString(c.Name), c.Count,
			100*float64(c.Count)/float64(total))
	}
	svgClose(&b)
	return b.String()
}
