package redact

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestZZRuleProf(t *testing.T) {
	clean := strings.Repeat("The export to CSV has been failing since Monday for all of our users. ", 20)
	r := New()
	for _, txt := range []string{benchTicket, clean} {
		tot := make([]time.Duration, len(r.rules))
		const N = 2000
		for range N {
			f := finderPool.Get().(*finder)
			f.reset(normalize(txt))
			for i := range r.rules {
				st := time.Now()
				f.apply(&r.rules[i])
				tot[i] += time.Since(st)
			}
			f.release()
		}
		var sum time.Duration
		for i, d := range tot {
			sum += d / N
			if d/N > 1500*time.Nanosecond {
				fmt.Printf("%2d %-12s %8v\n", i, r.rules[i].kind, d/N)
			}
		}
		fmt.Println("---- total", sum)
	}
}
