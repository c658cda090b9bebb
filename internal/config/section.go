package config

import (
	"fmt"
	"reflect"

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
