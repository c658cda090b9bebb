package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the results as a table, one row per result with its
// fix on the line below, and a summary line.
func WriteTable(w io.Writer, rs []Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tCHECK\tDETAIL")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", strings.ToUpper(string(r.Status)), r.Check, oneLine(r.Detail))
		if r.Fix != "" {
			fmt.Fprintf(tw, "\t  fix:\t%s\n", oneLine(r.Fix))
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the check table: %w", err)
	}
	n := Count(rs)
	_, err := fmt.Fprintf(w, "\n%d ok, %d warnings, %d errors\n", n[OK], n[Warning], n[Error])
	return err
}

// WriteJSON prints the results as a JSON array of {check, status, detail,
// fix}.
func WriteJSON(w io.Writer, rs []Result) error {
	if rs == nil {
		rs = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rs); err != nil {
		return fmt.Errorf("writing the check results: %w", err)
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
