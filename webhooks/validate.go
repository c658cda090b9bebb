package webhooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/heardhq/heard/sdk"
)

// MaxIDBytes bounds every identifier of a decoded event (event id, actor,
// ticket id, account). Vendor ids are a few dozen bytes at most; anything
// longer is refused with 400 rather than kept in the dedupe cache and the
// queue.
const MaxIDBytes = 256

// validateEvents checks and normalises decoded events before they are
// stored. An error names the field and wraps sdk.ErrInvalid: a poisoned
// delivery is the sender's fault (400), never the store's (503).
func validateEvents(evs []sdk.Event) error {
	for i := range evs {
		ev := &evs[i]
		fields := []struct {
			name string
			v    *string
			need bool
		}{
			{"event id", &ev.ID, true},
			{"event kind", (*string)(&ev.Kind), false},
			{"actor id", &ev.Actor, false},
			{"ticket id", &ev.Ticket.ID, false},
			{"ticket account", &ev.Ticket.Account, false},
		}
		for _, f := range fields {
			if err := checkID(f.name, *f.v, f.need); err != nil {
				if len(evs) > 1 {
					return fmt.Errorf("event %d: %w", i, err)
				}
				return err
			}
		}
		p, err := cleanPayload(ev.Payload)
		if err != nil {
			return err
		}
		ev.Payload = p
	}
	return nil
}

// checkID refuses an identifier with a NUL or another control character,
// invalid UTF-8, surrounding space, or more than MaxIDBytes bytes. The value
// itself is not echoed: it is attacker-controlled and may be huge.
func checkID(field, v string, required bool) error {
	switch {
	case v == "" && required:
		return fmt.Errorf("%s is empty: %w", field, sdk.ErrInvalid)
	case len(v) > MaxIDBytes:
		return fmt.Errorf("%s is %d bytes, over the %d-byte limit: %w", field, len(v), MaxIDBytes, sdk.ErrInvalid)
	case !utf8.ValidString(v):
		return fmt.Errorf("%s is not valid UTF-8: %w", field, sdk.ErrInvalid)
	case strings.IndexByte(v, 0) >= 0:
		return fmt.Errorf("%s contains a NUL character: %w", field, sdk.ErrInvalid)
	case strings.IndexFunc(v, isControl) >= 0:
		return fmt.Errorf("%s contains a control character: %w", field, sdk.ErrInvalid)
	case strings.TrimSpace(v) != v:
		return fmt.Errorf("%s has leading or trailing space: %w", field, sdk.ErrInvalid)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// nulEscape is how JSON spells a NUL inside a string. PostgreSQL's jsonb
// cannot store it.
var nulEscape = []byte(`\u0000`)

// cleanPayload returns the vendor payload with every \u0000 escape replaced
// by \ufffd (the replacement character), so the job can be stored in
// jsonb. A payload that is not JSON is refused; nil stays nil.
func cleanPayload(p json.RawMessage) (json.RawMessage, error) {
	if len(p) == 0 {
		return p, nil
	}
	if !json.Valid(p) {
		return nil, fmt.Errorf("event payload is not valid JSON: %w", sdk.ErrInvalid)
	}
	if !bytes.Contains(p, nulEscape) {
		return p, nil
	}
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '\\' || i+1 >= len(p) {
			out = append(out, c)
			continue
		}
		// An escape: \uXXXX is six bytes, every other one two. Valid JSON
		// has no raw control bytes, so this sees every NUL there is.
		if p[i+1] == 'u' && i+6 <= len(p) && bytes.EqualFold(p[i:i+6], nulEscape) {
			out = append(out, `\ufffd`...)
			i += 5
			continue
		}
		out = append(out, c, p[i+1])
		i++
	}
	return out, nil
}
