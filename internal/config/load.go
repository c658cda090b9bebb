package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"

	"gopkg.in/yaml.v3"
)

// Load reads the configuration. With path "" there is no file: defaults
// plus environment overrides. Otherwise the YAML file at path is read,
// ${NAME} and ${NAME:-default} references in its scalar values are
// expanded with getenv ("$$" is a literal "$"; an unset or empty variable
// without a default is an error), and it is decoded strictly: an unknown
// key is an error naming the key and its line. Connectors' vendor keys are
// left for Connector.Decode.
//
// Then HEARD_* environment overrides apply (HEARD_LISTEN,
// HEARD_QUEUE_WORKERS, ...: one per scalar key, named after its path), zero
// values get their defaults, and the result is validated. A nil getenv
// means os.Getenv.
func Load(path string, getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var c Config
	if path != "" {
		data, err := os.ReadFile(path) //nolint:gosec // the admin names the config file; reading it is the point
		if err != nil {
			return Config{}, fmt.Errorf("read config: %w", err)
		}
		if c, err = parse(data, path, getenv); err != nil {
			return Config{}, err
		}
	}
	if err := applyEnv(&c, getenv); err != nil {
		return Config{}, err
	}
	c.fillDefaults()
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// parse expands and strictly decodes one YAML document. file names the
// source in error messages and may be empty.
func parse(data []byte, file string, getenv func(string) string) (Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return Config{}, nil // empty file
		}
		return Config{}, yamlErrors(file, "", err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		if err != nil {
			return Config{}, yamlErrors(file, "", err)
		}
		return Config{}, fmt.Errorf("%s: a second YAML document; want one", position(file, next.Line))
	}
	if errs := expandNode(&root, getenv, file); len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	if keys := unknownKeys(&root, reflect.TypeFor[Config](), nil); len(keys) > 0 {
		return Config{}, keyErrors(file, "", keys)
	}
	var c Config
	if err := root.Decode(&c); err != nil {
		return Config{}, yamlErrors(file, "", err)
	}
	for i := range c.Connectors {
		c.Connectors[i].file = file
	}
	for _, sec := range []*Section{&c.Classify, &c.Draft, &c.KB, &c.Triage, &c.Plugins, &c.Alerts} {
		if sec.node != nil {
			sec.file = file
		}
	}
	return c, nil
}
