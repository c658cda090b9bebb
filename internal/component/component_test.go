package component_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/component"
	"github.com/heardhq/heard/sdk"
)

type greeter interface{ Greet() string }

type hello struct{ word string }

func (h hello) Greet() string { return h.word }

type deps struct{ suffix string }

type helloConfig struct {
	Word string `yaml:"word"`
}

func (c *helloConfig) Validate() error {
	if c.Word == "" {
		return fmt.Errorf("word is required: %w", sdk.ErrInvalid)
	}
	return nil
}

func helloSpec(id string) component.Spec[greeter, deps] {
	s := component.Define(id, "says a word",
		func() *helloConfig { return &helloConfig{Word: "hello"} },
		func(c *helloConfig, d deps) (greeter, error) { return hello{c.Word + d.suffix}, nil })
	s.Timeout = 3 * time.Second
	return s
}

func TestRegister(t *testing.T) {
	cases := []struct {
		name string
		spec component.Spec[greeter, deps]
		ok   bool
	}{
		{"valid", helloSpec("greet.hello"), true},
		{"wrong kind", helloSpec("classify.hello"), false},
		{"no kind", helloSpec("hello"), false},
		{"upper case", helloSpec("greet.Hello"), false},
		{"empty name", helloSpec("greet."), false},
		{"no constructor", component.Define[greeter, deps, *helloConfig]("greet.bare", "", func() *helloConfig { return &helloConfig{} }, nil), false},
		{"no defaults", component.Define("greet.nodef", "", nil, func(*helloConfig, deps) (greeter, error) { return hello{}, nil }), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := component.NewRegistry[greeter, deps]("greet")
			err := r.Register(tc.spec)
			if tc.ok != (err == nil) {
				t.Fatalf("Register(%q) = %v; want ok %v", tc.spec.ID, err, tc.ok)
			}
			if err != nil && !errors.Is(err, sdk.ErrInvalid) {
				t.Errorf("error %v does not wrap sdk.ErrInvalid", err)
			}
		})
	}
}

func TestRegisterDuplicatePanics(t *testing.T) {
	r := component.NewRegistry[greeter, deps]("greet")
	r.MustRegister(helloSpec("greet.hello"))
	defer func() {
		if recover() == nil {
			t.Error("MustRegister of a duplicate did not panic")
		}
	}()
	r.MustRegister(helloSpec("greet.hello"))
}

// setWord is a Decoder that sets the word, as a config section would.
func setWord(w string) component.Decoder {
	return func(v any) error {
		c, ok := v.(*helloConfig)
		if !ok {
			return fmt.Errorf("decoding into %T", v)
		}
		c.Word = w
		return nil
	}
}

func TestNew(t *testing.T) {
	r := component.NewRegistry[greeter, deps]("greet")
	r.MustRegister(helloSpec("greet.hello"))
	r.MustRegister(helloSpec("greet.other"))
	cases := []struct {
		name    string
		id      string
		dec     component.Decoder
		want    string
		wantErr string
	}{
		{"defaults without a section", "greet.hello", nil, "hello!", ""},
		{"by name", "hello", nil, "hello!", ""},
		{"decoded config", "greet.hello", setWord("hi"), "hi!", ""},
		{"decode error passes through", "greet.hello", func(any) error { return errors.New("heard.yaml:3: unknown key") }, "", "heard.yaml:3: unknown key"},
		{"validated", "greet.hello", setWord(""), "", "greet.hello: word is required"},
		{"unknown lists the registered", "greet.nope", nil, "", `unknown greet component "greet.nope" (registered: hello, other)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, err := r.New(tc.id, tc.dec, deps{suffix: "!"})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("New error = %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := n.Impl.Greet(); got != tc.want {
				t.Errorf("Greet() = %q; want %q", got, tc.want)
			}
			if n.ID != "greet.hello" || n.Timeout != 3*time.Second {
				t.Errorf("Named = {%q, %s}; want {greet.hello, 3s}", n.ID, n.Timeout)
			}
		})
	}
	if got := strings.Join(r.Names(), ","); got != "hello,other" {
		t.Errorf("Names() = %s", got)
	}
	if !r.Has("other") || !r.Has("greet.other") || r.Has("third") {
		t.Error("Has disagrees with what is registered")
	}
}
