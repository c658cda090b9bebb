package config

import (
	"fmt"
	"reflect"

	"gopkg.in/yaml.v3"
)

// Connector is one configured help desk: the keys every connector has, plus
// the vendor-specific keys kept undecoded for the vendor's own Decode.
type Connector struct {
	// Name is unique and matches ^[a-z0-9][a-z0-9_-]*$. It is the webhook
	// path segment: POST /v1/webhooks/{name}.
	Name string `yaml:"name"`
	// Type selects the implementation, e.g. "zendesk".
	Type string `yaml:"type"`
	// Mode is ModeShadow (the default) or ModeLive.
	Mode Mode `yaml:"mode"`

	node *yaml.Node // this connector's mapping, ${ENV} already expanded
	file string     // config file name for error messages, may be empty
}

// UnmarshalYAML keeps the connector's mapping for Decode and decodes the
// common keys name, type and mode. It implements yaml.Unmarshaler.
func (c *Connector) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: connector: want a mapping with name, type and settings", n.Line)}}
	}
	var common struct {
		Name string `yaml:"name"`
		Type string `yaml:"type"`
		Mode Mode   `yaml:"mode"`
	}
	if err := n.Decode(&common); err != nil {
		return err
	}
	*c = Connector{Name: common.Name, Type: common.Type, Mode: common.Mode, node: n}
	return nil
}

// Decode strictly decodes the connector's vendor-specific keys, everything
// except name, type and mode, into v, a non-nil pointer to a struct with
// yaml tags. Fields whose keys are absent keep their values, so callers set
// defaults in v first. Nested structs, slices, maps, sdk.Secret and
// Duration fields work. An unknown key is an error naming it and its line,
// e.g. `heard.yaml:12: connector "acme-zendesk": unknown key "subdomian"`.
// A Connector not built by Load or yaml decoding has no vendor keys, and
// Decode leaves v unchanged.
func (c Connector) Decode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("connector %q: decode into %T: want a non-nil pointer", c.Name, v)
	}
	if c.node == nil {
		return nil
	}
	what := fmt.Sprintf("connector %q: ", c.Name)
	vendor := c.vendorNode()
	if keys := unknownKeys(vendor, rv.Type(), isCommonKey); len(keys) > 0 {
		return keyErrors(c.file, what, keys)
	}
	if err := vendor.Decode(v); err != nil {
		return yamlErrors(c.file, what, err)
	}
	return nil
}

// vendorNode returns a shallow copy of the connector's mapping without the
// common keys.
func (c Connector) vendorNode() *yaml.Node {
	n := *c.node
	n.Content = make([]*yaml.Node, 0, len(c.node.Content))
	for i := 0; i+1 < len(c.node.Content); i += 2 {
		if k := c.node.Content[i]; k.Kind == yaml.ScalarNode && isCommonKey(k.Value) {
			continue
		}
		n.Content = append(n.Content, c.node.Content[i], c.node.Content[i+1])
	}
	return &n
}

// isCommonKey reports whether key is decoded by Connector itself.
func isCommonKey(key string) bool {
	return key == "name" || key == "type" || key == "mode"
}

// where locates connector i for validation messages, e.g.
// `heard.yaml:7: connectors[0]`.
func (c Connector) where(i int) string {
	at := fmt.Sprintf("connectors[%d]", i)
	if c.node != nil {
		return position(c.file, c.node.Line) + ": " + at
	}
	return at
}
