package doctor

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Status is a result's verdict.
type Status string

// Statuses, from good to bad.
const (
	OK      Status = "ok"
	Warning Status = "warning"
	Error   Status = "error"
)

// Result is one finding.
type Result struct {
	// Check names what was checked, e.g. "connector acme-zendesk: credentials".
	Check string `json:"check"`
	// Status is OK, Warning or Error.
	Status Status `json:"status"`
	// Detail says what was found.
	Detail string `json:"detail"`
	// Fix says what to do about a warning or an error; empty for OK.
	Fix string `json:"fix"`
}

// Check is one check: it returns one result or more and never fails as a
// whole (a failure is an Error result). Run bounds its ctx.
type Check func(ctx context.Context) []Result

// Run runs the checks in order, each under its own timeout (0: none),
// and returns every result.
func Run(ctx context.Context, timeout time.Duration, checks ...Check) []Result {
	var out []Result
	for _, c := range checks {
		cctx, cancel := ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			cctx, cancel = context.WithTimeout(ctx, timeout)
		}
		out = append(out, c(cctx)...)
		cancel()
	}
	return out
}

// Failed reports whether any result is an Error. Warnings do not fail
// heard check.
func Failed(rs []Result) bool {
	for _, r := range rs {
		if r.Status == Error {
			return true
		}
	}
	return false
}

// Count returns how many results have each status.
func Count(rs []Result) map[Status]int {
	n := map[Status]int{}
	for _, r := range rs {
		n[r.Status]++
	}
	return n
}

// masked replaces a secret in output.
const masked = "****"

// minMaskLen is the shortest secret Mask replaces: shorter values (an
// empty string, "x") would mangle ordinary text.
const minMaskLen = 4

// Mask returns rs with every occurrence of a secret in a detail or fix
// replaced by ****.
func Mask(rs []Result, secrets ...string) []Result {
	out := make([]Result, len(rs))
	for i, r := range rs {
		for _, s := range secrets {
			if len(s) < minMaskLen {
				continue
			}
			r.Detail = strings.ReplaceAll(r.Detail, s, masked)
			r.Fix = strings.ReplaceAll(r.Fix, s, masked)
			r.Check = strings.ReplaceAll(r.Check, s, masked)
		}
		out[i] = r
	}
	return out
}

func ok(check, format string, args ...any) Result {
	return Result{Check: check, Status: OK, Detail: fmt.Sprintf(format, args...)}
}

func warn(check, detail, fix string) Result {
	return Result{Check: check, Status: Warning, Detail: detail, Fix: fix}
}

func fail(check, detail, fix string) Result {
	return Result{Check: check, Status: Error, Detail: detail, Fix: fix}
}
