package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Duration is a time.Duration that decodes from strings such as "1s",
// "1m30s", "10m", "30d" or "2w", in YAML, in environment overrides and on
// the command line (it is a pflag.Value) alike. A bare number without a
// unit is an error.
type Duration time.Duration

// ParseDuration parses what time.ParseDuration does plus two units: d, a
// day of 24 hours, and w, a week of 7 days. Units may be mixed and
// fractions are allowed: "1d12h", "1.5d", "-2w".
func ParseDuration(s string) (time.Duration, error) {
	if !strings.ContainsAny(s, "dw") {
		return time.ParseDuration(s)
	}
	// Rewrite each <number>d or <number>w as hours, leaving the other
	// units for time.ParseDuration.
	var b strings.Builder
	start := 0 // where the current number starts
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' || c == '.':
			continue
		case c == 'd' || c == 'w':
			num := s[start:i]
			f, err := strconv.ParseFloat(num, 64)
			if err != nil || num == "" {
				return 0, fmt.Errorf("time: invalid duration %q", s)
			}
			hours := 24.0
			if c == 'w' {
				hours = 7 * 24
			}
			b.WriteString(strconv.FormatFloat(f*hours, 'f', -1, 64) + "h")
			start = i + 1
		default:
			// Any other unit letter (or a sign): keep it and its number.
			b.WriteString(s[start : i+1])
			start = i + 1
		}
	}
	b.WriteString(s[start:])
	return time.ParseDuration(b.String())
}

// durationType is time.Duration, which yaml.v3 decodes itself with
// time.ParseDuration.
var durationType = reflect.TypeFor[time.Duration]()

// spellDays rewrites a scalar node holding a duration with days or weeks
// ("30d") into hours, so that yaml.v3 accepts it for a time.Duration
// field as Duration accepts it; other values are left for yaml.v3 to
// decode or reject. The strict-key walk calls it on every node bound for
// a time.Duration, before the node is decoded.
func spellDays(n *yaml.Node) {
	if n.Kind != yaml.ScalarNode || !strings.ContainsAny(n.Value, "dw") {
		return
	}
	if d, err := ParseDuration(n.Value); err == nil {
		n.Value = d.String()
	}
}

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String formats d as time.Duration does, e.g. "1m30s".
func (d Duration) String() string { return time.Duration(d).String() }

// Set parses s with ParseDuration; with String and Type it makes a
// *Duration a command-line flag value (pflag.Value).
func (d *Duration) Set(s string) error { return d.UnmarshalText([]byte(s)) }

// Type names the flag's value in help: duration.
func (d *Duration) Type() string { return "duration" }

// MarshalText encodes d as its String form.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses a ParseDuration string.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf("invalid duration: %w", err)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML encodes d as its String form.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalYAML decodes a scalar duration string, reporting the node's line
// on error.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: want a duration such as 30s, 5m or 7d", n.Line)}}
	}
	if err := d.UnmarshalText([]byte(n.Value)); err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	return nil
}
