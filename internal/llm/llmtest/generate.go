package llmtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
)

// OutOfEnumValue is the value OutOfEnum puts where the schema allows only
// an enum.
const OutOfEnumValue = "llmtest-not-an-allowed-value"

// Generate builds a JSON value that satisfies schema, in the subset strict
// structured output uses (object, array, string, number, integer, boolean,
// enum, const, pattern, minimum, minItems/maxItems). With violateEnum the
// first enum met, properties visited in name order, holds OutOfEnumValue
// instead.
func Generate(schema json.RawMessage, violateEnum bool) (any, error) {
	var s map[string]any
	if err := json.Unmarshal(schema, &s); err != nil {
		return nil, fmt.Errorf("decoding schema: %w", err)
	}
	g := &generator{violate: violateEnum}
	v, err := g.gen(s, "$")
	if err != nil {
		return nil, err
	}
	if violateEnum && !g.violated {
		return nil, fmt.Errorf("schema has no enum to violate")
	}
	return v, nil
}

type generator struct {
	violate, violated bool
}

func (g *generator) gen(s map[string]any, path string) (any, error) {
	if c, ok := s["const"]; ok {
		return c, nil
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		if g.violate && !g.violated {
			g.violated = true
			return OutOfEnumValue, nil
		}
		return e[0], nil
	}
	typ := s["type"]
	if ts, ok := typ.([]any); ok && len(ts) > 0 {
		typ = ts[0]
	}
	switch typ {
	case "object":
		props, _ := s["properties"].(map[string]any)
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		slices.Sort(names)
		out := make(map[string]any, len(props))
		for _, n := range names {
			ps, ok := props[n].(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s.%s: schema is not an object", path, n)
			}
			v, err := g.gen(ps, path+"."+n)
			if err != nil {
				return nil, err
			}
			out[n] = v
		}
		return out, nil
	case "array":
		items, ok := s["items"].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: array without an items schema", path)
		}
		n := 1
		if v, ok := s["minItems"].(float64); ok {
			n = max(n, int(v))
		}
		if v, ok := s["maxItems"].(float64); ok {
			n = min(n, int(v))
		}
		out := make([]any, 0, n)
		for i := range n {
			v, err := g.gen(items, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case "string":
		p, ok := s["pattern"].(string)
		if !ok {
			return "llmtest", nil
		}
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: pattern %q: %w", path, p, err)
		}
		for _, c := range []string{"", "en", "llmtest", "x", "0", "0.00", "1"} {
			if re.MatchString(c) {
				return c, nil
			}
		}
		return nil, fmt.Errorf("%s: no sample string matches pattern %q", path, p)
	case "number", "integer":
		if v, ok := s["minimum"].(float64); ok {
			return v, nil
		}
		return 0, nil
	case "boolean":
		return false, nil
	case "null":
		return nil, nil
	}
	return nil, fmt.Errorf("%s: unsupported schema type %v", path, typ)
}
