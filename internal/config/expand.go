package config

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// expandNode replaces ${NAME} and ${NAME:-default} references in every
// scalar value below n, in place, and returns one error per scalar that
// could not be expanded. Mapping keys and comments are left alone, and
// aliases are not followed, so every scalar is expanded exactly once.
//
// A plain (unquoted, untagged) scalar whose value changed has its tag
// cleared so that YAML resolves it again: `workers: ${N}` then decodes as
// an integer. Substituted text is never parsed as YAML structure.
func expandNode(n *yaml.Node, getenv func(string) string, file string) []error {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "$") {
			return nil
		}
		v, err := expandString(n.Value, getenv)
		if err != nil {
			return []error{fmt.Errorf("%s: %w", position(file, n.Line), err)}
		}
		if v != n.Value {
			n.Value = v
			if n.Style&(yaml.TaggedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
				n.Tag = ""
			}
		}
		return nil
	case yaml.MappingNode:
		var errs []error
		for i := 1; i < len(n.Content); i += 2 {
			errs = append(errs, expandNode(n.Content[i], getenv, file)...)
		}
		return errs
	case yaml.DocumentNode, yaml.SequenceNode:
		var errs []error
		for _, c := range n.Content {
			errs = append(errs, expandNode(c, getenv, file)...)
		}
		return errs
	}
	return nil
}

// expandString expands s: "$$" is a literal "$", "${NAME}" is getenv(NAME)
// and must not be empty, "${NAME:-default}" falls back to default when
// NAME is unset or empty. Any other "$" is kept as is. Errors never quote
// s, which may hold a secret.
func expandString(s string, getenv func(string) string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' {
			j := strings.IndexByte(s[i:], '$')
			if j < 0 {
				b.WriteString(s[i:])
				break
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		switch {
		case strings.HasPrefix(s[i:], "$$"):
			b.WriteByte('$')
			i += 2
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", errors.New(`unterminated "${": want ${NAME} or ${NAME:-default}; write $$ for a literal $`)
			}
			expr := s[i+2 : i+2+end]
			name, def, hasDef := strings.Cut(expr, ":-")
			if !validEnvName(name) {
				return "", fmt.Errorf("invalid environment variable name %q in ${...}", name)
			}
			v := getenv(name)
			if v == "" {
				if !hasDef {
					return "", fmt.Errorf("environment variable %q is not set (use ${%s:-default} for a default)", name, name)
				}
				v = def
			}
			b.WriteString(v)
			i += 2 + end + 1
		default:
			b.WriteByte('$')
			i++
		}
	}
	return b.String(), nil
}

// validEnvName reports whether s matches ^[A-Za-z_][A-Za-z0-9_]*$.
func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
