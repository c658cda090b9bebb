package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// header is the only accepted first record.
var header = []string{"subject", "body", "priority", "tags"}

// maxTags is one primary tag plus at most two secondary tags (docs/policy.md, "Tags").
const maxTags = 3

// Example is one labelled ticket.
type Example struct {
	// Line is the 1-based line on which the example's record starts.
	Line    int
	Subject string
	Body    string
	// Priority is the gold priority; PriorityUnknown means unlabelled.
	Priority sdk.Priority
	// Tags are the gold tags, primary first, trimmed and lower-cased;
	// empty means unlabelled.
	Tags []string
}

// LineError is a problem with one line of the input. It wraps
// sdk.ErrInvalid.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }

func lineErr(line int, format string, args ...any) error {
	return &LineError{Line: line, Err: fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), sdk.ErrInvalid)}
}

// ReadCSV reads labelled examples from RFC 4180 CSV whose header is exactly
// "subject,body,priority,tags". Priority is P0..P3 or empty; tags are
// separated by ";", the primary first, at most three; an empty cell leaves
// that field unlabelled. Any malformed input yields a *LineError naming the
// line on which the offending record starts, wrapping sdk.ErrInvalid.
func ReadCSV(r io.Reader) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(header)
	cr.ReuseRecord = false

	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, lineErr(1, "empty input: want header %q", strings.Join(header, ","))
	}
	if err != nil {
		return nil, csvErr(err)
	}
	if !slices.Equal(rec, header) {
		return nil, lineErr(1, "header %q: want %q", strings.Join(rec, ","), strings.Join(header, ","))
	}

	var out []Example
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, csvErr(err)
		}
		line, _ := cr.FieldPos(0)
		ex, err := parseRecord(line, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
}

func parseRecord(line int, rec []string) (Example, error) {
	ex := Example{Line: line, Subject: rec[0], Body: rec[1]}
	if strings.TrimSpace(ex.Subject) == "" && strings.TrimSpace(ex.Body) == "" {
		return Example{}, lineErr(line, "subject and body are both empty")
	}
	if p := strings.TrimSpace(rec[2]); p != "" {
		pr, err := sdk.ParsePriority(p)
		if err != nil {
			return Example{}, &LineError{Line: line, Err: err}
		}
		ex.Priority = pr
	}
	if t := strings.TrimSpace(rec[3]); t != "" {
		seen := map[string]bool{}
		for _, tag := range strings.Split(t, ";") {
			tag = normTag(tag)
			switch {
			case tag == "":
				return Example{}, lineErr(line, "tags %q: empty tag", rec[3])
			case strings.ContainsAny(tag, " \t\r\n,"):
				return Example{}, lineErr(line, "tags %q: tag %q contains a space or comma", rec[3], tag)
			case seen[tag]:
				return Example{}, lineErr(line, "tags %q: duplicate tag %q", rec[3], tag)
			}
			seen[tag] = true
			ex.Tags = append(ex.Tags, tag)
		}
		if len(ex.Tags) > maxTags {
			return Example{}, lineErr(line, "tags %q: %d tags, want at most %d", rec[3], len(ex.Tags), maxTags)
		}
	}
	return ex, nil
}

// csvErr turns an encoding/csv error into a *LineError naming the line on
// which the broken record starts.
func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.Line != pe.StartLine {
			return &LineError{Line: pe.StartLine, Err: fmt.Errorf("%w: record ending on line %d: %w", sdk.ErrInvalid, pe.Line, pe.Err)}
		}
		return &LineError{Line: pe.StartLine, Err: fmt.Errorf("%w: %w", sdk.ErrInvalid, pe.Err)}
	}
	return fmt.Errorf("reading csv: %w", err)
}

func normTag(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
