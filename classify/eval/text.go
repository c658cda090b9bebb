package eval

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"
)

// WriteText writes a readable summary of r to w: the headline metrics, the
// per-class tables for priorities and tags, and the confusion matrix.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := &printer{w: tw}

	labelled := 0
	for _, m := range r.PerClass.Priority {
		labelled += m.Support
	}
	p.printf("examples\t%d\n", r.N)
	p.printf("priority accuracy\t%.3f\t(%d labelled)\n", r.PriorityAccuracy, labelled)
	p.printf("priority macro-F1\t%.3f\n", r.PriorityMacroF1)
	p.printf("primary-tag accuracy\t%.3f\n", r.PrimaryTagAccuracy)
	p.printf("tag macro-F1\t%.3f\n", r.TagMacroF1)
	p.printf("throughput\t%.1f tickets/s\n", r.TicketsPerSecond)
	p.printf("latency p50 / p99\t%.3f ms / %.3f ms\n", r.P50Ms, r.P99Ms)
	p.printf("ECE priority / tag\t%.3f / %.3f\n", r.ECE.Priority, r.ECE.PrimaryTag)
	p.flush()

	p.classTable("priority", r.PerClass.Priority, classOrder(r.PerClass.Priority, priorityNames()))
	p.classTable("tag", r.PerClass.Tags, classOrder(r.PerClass.Tags, DefaultTaxonomy()))

	cols := priorityNames()
	extra := map[string]bool{}
	for _, row := range r.Confusion {
		for k := range row {
			if !slices.Contains(cols, k) {
				extra[k] = true
			}
		}
	}
	cols = append(cols, classOrder(extra, []string{NoPrediction})...)
	p.printf("\nconfusion (rows gold, columns predicted)\n")
	p.printf("gold \\ pred")
	for _, c := range cols {
		p.printf("\t%s", c)
	}
	p.printf("\n")
	for _, g := range classOrder(r.Confusion, priorityNames()) {
		p.printf("%s", g)
		for _, c := range cols {
			p.printf("\t%d", r.Confusion[g][c])
		}
		p.printf("\n")
	}
	p.flush()
	return p.err
}

func (p *printer) classTable(name string, m map[string]ClassMetrics, order []string) {
	p.printf("\n%s\tprecision\trecall\tf1\tsupport\n", name)
	for _, k := range order {
		c := m[k]
		p.printf("%s\t%.3f\t%.3f\t%.3f\t%d\n", k, c.Precision, c.Recall, c.F1, c.Support)
	}
	p.flush()
}

// printer keeps the first write error so the table code stays readable.
type printer struct {
	w   *tabwriter.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) flush() {
	if p.err == nil {
		p.err = p.w.Flush()
	}
}

func priorityNames() []string {
	out := make([]string, len(priorities))
	for i, pr := range priorities {
		out[i] = string(pr)
	}
	return out
}

// classOrder lists m's keys: those in known first, in known's order, then
// the rest alphabetically.
func classOrder[V any](m map[string]V, known []string) []string {
	var out []string
	for _, k := range known {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	rest := slices.Collect(maps.Keys(m))
	rest = slices.DeleteFunc(rest, func(k string) bool { return slices.Contains(known, k) })
	slices.Sort(rest)
	return append(out, rest...)
}
