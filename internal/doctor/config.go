package doctor

import "fmt"

// Config is the result of loading the config strictly: err is what
// config.Load returned for path ("" for the built-in defaults).
func Config(path string, connectors int, err error) Result {
	const check = "config"
	where := path
	if where == "" {
		where = "built-in defaults and HEARD_* variables (no --config and no HEARD_CONFIG)"
	}
	if err != nil {
		return fail(check, fmt.Sprintf("loading %s: %v", where, err),
			"correct the key or value the error names (unknown keys are errors); docs/configuration.md lists every setting")
	}
	if connectors == 0 {
		return warn(check, fmt.Sprintf("loaded %s: no connectors configured", where),
			"add a help desk under connectors: (docs/connect.md); without one heard receives nothing")
	}
	return ok(check, "loaded %s strictly: %d connector(s)", where, connectors)
}
