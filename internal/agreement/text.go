package agreement

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"
)

// WriteText prints the report as readable, aligned tables: a header with
// the connector and period, then per field the totals, the agreement and
// coverage at each confidence threshold, and the most common corrections.
// It returns the first write error.
func (r Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	connector, since := r.Connector, "all time"
	if connector == "" {
		connector = "all connectors"
	}
	if !r.Since.IsZero() {
		since = r.Since.UTC().Format(time.DateTime) + " UTC"
	}
	fmt.Fprintf(ew, "Agreement with agents' final values — %s, since %s\n", connector, since)
	if len(r.Fields) == 0 {
		fmt.Fprintln(ew, "\nNo predictions have final values to compare with yet.")
		return ew.err
	}
	for _, f := range r.Fields {
		fmt.Fprintf(ew, "\n%s: %d predictions, %d agreed (%s)\n", f.Field, f.Predictions, f.Agreed, percent(f.Rate))
		tw := tabwriter.NewWriter(ew, 0, 0, 3, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "confidence ≥\tkept\tcoverage\tagreement\t")
		for _, p := range f.ByThreshold {
			rate := percent(p.Rate)
			if p.Kept == 0 {
				rate = "–"
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t\n", strconv.FormatFloat(p.Threshold, 'f', 1, 64), p.Kept, percent(p.Coverage), rate)
		}
		if err := tw.Flush(); err != nil && ew.err == nil {
			ew.err = err
		}
		if len(f.Corrections) == 0 {
			fmt.Fprintln(ew, "  no corrections")
			continue
		}
		fmt.Fprintln(ew, "  most common corrections (heard → agents):")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, c := range f.Corrections {
			to := c.To
			if to == "" {
				to = "(none)"
			}
			fmt.Fprintf(tw, "    %s\t→ %s\t%d×\n", c.From, to, c.Count)
		}
		if err := tw.Flush(); err != nil && ew.err == nil {
			ew.err = err
		}
	}
	return ew.err
}

// percent renders a 0..1 ratio as "70.0%".
func percent(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

// errWriter remembers the first write error and drops later writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = fmt.Errorf("writing the agreement report: %w", err)
	}
	return n, e.err
}
