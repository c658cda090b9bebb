package config

import (
	"fmt"
	"reflect"
	"slices"

	"gopkg.in/yaml.v3"
)

// Section is a block of configuration owned by another package (the
// triage policy, the classifiers). It is kept undecoded until that package
// asks for it with Decode, so this package need not import its types while
// decoding stays strict.
type Section struct {
	node *yaml.Node
	file string
}

// UnmarshalYAML keeps the section's node. It implements yaml.Unmarshaler.
func (s *Section) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: want a mapping", n.Line)}}
	}
	s.node = n
	return nil
}

// IsZero reports whether the section was absent from the file.
func (s Section) IsZero() bool { return s.node == nil }

// Decode strictly decodes the section into v, a non-nil pointer to a
// struct with yaml tags. Absent keys keep v's values, so callers set
// defaults first. Unknown keys are errors naming the key and its line.
func (s Section) Decode(name string, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("%s: decode into %T: want a non-nil pointer", name, v)
	}
	if s.node == nil {
		return nil
	}
	what := name + ": "
	if keys := unknownKeys(s.node, rv.Type(), func(string) bool { return false }); len(keys) > 0 {
		return keyErrors(s.file, what, keys)
	}
	if err := s.node.Decode(v); err != nil {
		return yamlErrors(s.file, what, err)
	}
	return nil
}

// Line is the line the section starts on, 0 when it was absent.
func (s Section) Line() int {
	if s.node == nil {
		return 0
	}
	return s.node.Line
}

// Decoder returns a function that strictly decodes the section into its
// argument, like Decode with name; it suits component.Decoder.
func (s Section) Decoder(name string) func(v any) error {
	return func(v any) error { return s.Decode(name, v) }
}

// Parts decodes the section's own keys into v, like Decode, and returns
// every key in partNames as a section of its own (a component's settings,
// decoded later by whoever builds it). A key that is neither a field of v
// nor a part is an error naming it and its line, with the closest field or
// part name when one is close.
func (s Section) Parts(name string, v any, partNames []string) (map[string]Section, error) {
	isPart := func(key string) bool { return slices.Contains(partNames, key) }
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, fmt.Errorf("%s: decode into %T: want a non-nil pointer", name, v)
	}
	parts := map[string]Section{}
	if s.node == nil {
		return parts, nil
	}
	what := name + ": "
	if keys := unknownKeys(s.node, rv.Type(), isPart); len(keys) > 0 {
		top := map[int]bool{}
		for i := 0; i < len(s.node.Content); i += 2 {
			top[s.node.Content[i].Line] = true
		}
		names := map[string]reflect.Type{}
		for _, p := range partNames {
			names[p] = nil
		}
		for i, k := range keys {
			if k.suggest == "" && top[k.line] {
				keys[i].suggest = closest(k.key, names)
			}
		}
		return nil, keyErrors(s.file, what, keys)
	}
	own := *s.node
	own.Content = nil
	for i := 0; i+1 < len(s.node.Content); i += 2 {
		k, val := s.node.Content[i], s.node.Content[i+1]
		if k.Kind == yaml.ScalarNode && isPart(k.Value) {
			if val.Kind == yaml.ScalarNode && val.ShortTag() == "!!null" { // `llm:` alone: the component with its defaults
				val = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: val.Line, Column: val.Column}
			}
			if val.Kind != yaml.MappingNode {
				return nil, fmt.Errorf("%s: %s%s: want a mapping", position(s.file, val.Line), what, k.Value)
			}
			parts[k.Value] = Section{node: val, file: s.file}
			continue
		}
		own.Content = append(own.Content, k, val)
	}
	if err := own.Decode(v); err != nil {
		return nil, yamlErrors(s.file, what, err)
	}
	return parts, nil
}
