package config

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// unknownKey is a mapping key that matches no field of the target type.
type unknownKey struct {
	line    int
	key     string
	suggest string // closest known key, if any is close
}

// unknownKeys walks n against type t the way yaml.v3 would decode it and
// returns every mapping key that would be silently ignored. yaml.v3's
// Node.Decode does not check known fields, so this is the strict half of
// decoding. Keys in skip are allowed in n's top-level mapping (and in
// mappings merged into it). Types with their own UnmarshalYAML are not
// entered: they check their own keys.
func unknownKeys(n *yaml.Node, t reflect.Type, skip func(string) bool) []unknownKey {
	w := walker{seen: make(map[visit]bool)}
	w.walk(n, t, skip)
	return w.found
}

type visit struct {
	node *yaml.Node
	typ  reflect.Type
	top  bool
}

type walker struct {
	// seen makes aliases cost nothing after their first visit, which
	// bounds the walk on alias bombs and cuts alias cycles.
	seen  map[visit]bool
	found []unknownKey
}

func (w *walker) walk(n *yaml.Node, t reflect.Type, skip func(string) bool) {
	if n == nil || t == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if selfDecoding(t) {
		return
	}
	if t == durationType {
		spellDays(n)
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			w.walk(c, t, skip)
		}
		return
	case yaml.AliasNode:
		w.walk(n.Alias, t, skip)
		return
	}
	v := visit{n, t, skip != nil}
	if w.seen[v] {
		return
	}
	w.seen[v] = true

	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // a type error, which the decoder reports
		}
		fields, inline := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
				w.merge(val, t, skip)
				continue
			}
			if skip != nil && skip(k.Value) {
				continue
			}
			if ft, ok := fields[k.Value]; ok {
				w.walk(val, ft, nil)
				continue
			}
			if inline != nil {
				w.walk(val, inline, nil)
				continue
			}
			w.found = append(w.found, unknownKey{line: k.Line, key: k.Value, suggest: closest(k.Value, fields)})
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
				w.merge(n.Content[i+1], t, nil)
				continue
			}
			w.walk(n.Content[i+1], t.Elem(), nil)
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for _, c := range n.Content {
			w.walk(c, t.Elem(), nil)
		}
	}
}

// merge walks the value of a "<<" key: a mapping or a sequence of them.
func (w *walker) merge(n *yaml.Node, t reflect.Type, skip func(string) bool) {
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			w.walk(c, t, skip)
		}
		return
	}
	w.walk(n, t, skip)
}

// selfDecoding reports whether the walk must not enter type t: yaml.Node,
// which takes anything; Section and Connector, which keep their node and
// check their keys when they are decoded; and non-struct types with their
// own UnmarshalYAML. A struct with its own UnmarshalYAML (a gate that
// defaults to enabled) is still walked: such methods decode a plain copy
// of the struct, and yaml.v3 would silently drop a misspelled key in it.
func selfDecoding(t reflect.Type) bool {
	switch t {
	case reflect.TypeFor[yaml.Node](), reflect.TypeFor[Section](), reflect.TypeFor[Connector]():
		return true
	}
	if t.Kind() == reflect.Struct {
		return false
	}
	_, ok := reflect.PointerTo(t).MethodByName("UnmarshalYAML")
	return ok
}

// yamlFields returns the keys a struct of type t accepts, following
// yaml.v3's rules: the yaml tag's name, else the lowercased field name;
// "-" skipped; ",inline" structs merged in, and an ",inline" map accepting
// any other key with values of the returned inline type.
func yamlFields(t reflect.Type) (fields map[string]reflect.Type, inline reflect.Type) {
	fields = make(map[string]reflect.Type)
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.PkgPath != "" && !f.Anonymous {
				continue // unexported
			}
			tag := f.Tag.Get("yaml")
			if tag == "" && !strings.Contains(string(f.Tag), ":") {
				tag = string(f.Tag)
			}
			if tag == "-" {
				continue
			}
			name, flags, _ := strings.Cut(tag, ",")
			if strings.Contains(","+flags+",", ",inline,") {
				ft := f.Type
				for ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				switch ft.Kind() {
				case reflect.Struct:
					add(ft)
				case reflect.Map:
					inline = ft.Elem()
				}
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			fields[name] = f.Type
		}
	}
	add(t)
	return fields, inline
}

// closest returns the known key nearest to key when it is a plausible typo.
func closest(key string, fields map[string]reflect.Type) string {
	best, bestDist := "", 3
	for name := range fields {
		d := editDistance(key, name)
		if d < bestDist || (d == bestDist && best != "" && name < best) {
			best, bestDist = name, d
		}
	}
	if best != "" && bestDist >= len(key) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// keyErrors turns unknown keys into one joined error, each message like
// `heard.yaml:3: unknown key "lisen" (did you mean "listen"?)`. what
// prefixes the message, e.g. `connector "acme": `.
func keyErrors(file, what string, keys []unknownKey) error {
	errs := make([]error, 0, len(keys))
	for _, k := range keys {
		hint := ""
		if k.suggest != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", k.suggest)
		}
		errs = append(errs, fmt.Errorf("%s: %sunknown key %q%s", position(file, k.line), what, k.key, hint))
	}
	return errors.Join(errs...)
}

// yamlErrors rewrites a yaml.v3 error so that each problem reads
// "file:line: what message", like the rest of this package's errors.
func yamlErrors(file, what string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		errs := make([]error, 0, len(te.Errors))
		for _, msg := range te.Errors {
			errs = append(errs, locate(file, what, msg))
		}
		return errors.Join(errs...)
	}
	return locate(file, what, strings.TrimPrefix(err.Error(), "yaml: "))
}

// locate turns "line N: msg" into "file:N: what msg".
func locate(file, what, msg string) error {
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if line, err := strconv.Atoi(num); err == nil {
				return fmt.Errorf("%s: %s%s", position(file, line), what, text)
			}
		}
	}
	if file == "" {
		return fmt.Errorf("%s%s", what, msg)
	}
	return fmt.Errorf("%s: %s%s", file, what, msg)
}

// position formats a source position: "file:line", or "line N" without a
// file name.
func position(file string, line int) string {
	if file == "" {
		return "line " + strconv.Itoa(line)
	}
	return file + ":" + strconv.Itoa(line)
}
