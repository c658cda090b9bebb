package config

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// envPrefix starts every environment override's name.
const envPrefix = "HEARD_"

// envField is one scalar Config field that an environment variable sets.
type envField struct {
	name  string // e.g. HEARD_QUEUE_WORKERS
	index []int  // for reflect.Value.FieldByIndex on a Config
}

// envFields derives the overrides from Config's yaml tags: HEARD_ plus the
// upper-cased key path joined by "_", for every scalar field, recursing
// into nested structs. Lists such as connectors have no override.
func envFields() []envField {
	var out []envField
	var walk func(t reflect.Type, prefix string, index []int)
	walk = func(t reflect.Type, prefix string, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || key == "" || key == "-" {
				continue
			}
			name := prefix + strings.ToUpper(key)
			idx := append(append([]int(nil), index...), i)
			switch {
			case isTextUnmarshaler(f.Type):
				out = append(out, envField{name, idx})
			case f.Type.Kind() == reflect.Struct:
				walk(f.Type, name+"_", idx)
			case isScalarKind(f.Type.Kind()):
				out = append(out, envField{name, idx})
			}
		}
	}
	walk(reflect.TypeFor[Config](), envPrefix, nil)
	return out
}

// applyEnv sets every field whose variable getenv returns non-empty. Bad
// values are errors naming the variable.
func applyEnv(c *Config, getenv func(string) string) error {
	var errs []error
	root := reflect.ValueOf(c).Elem()
	for _, f := range envFields() {
		s := getenv(f.name)
		if s == "" {
			continue
		}
		if err := setScalar(root.FieldByIndex(f.index), s); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.name, err))
		}
	}
	return errors.Join(errs...)
}

func isTextUnmarshaler(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]())
}

func isScalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// setScalar parses s into v, an addressable scalar or TextUnmarshaler.
// Errors quote s only for non-string kinds, so secrets stay out of them.
func setScalar(v reflect.Value, s string) error {
	if u, ok := v.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return u.UnmarshalText([]byte(s))
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("invalid boolean %q: want true or false", s)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("invalid integer %q: %w", s, numError(err))
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("invalid unsigned integer %q: %w", s, numError(err))
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		n, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("invalid number %q: %w", s, numError(err))
		}
		v.SetFloat(n)
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}

// numError strips strconv's repetition of the input, keeping the cause
// (strconv.ErrSyntax or strconv.ErrRange).
func numError(err error) error {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return ne.Err
	}
	return err
}
