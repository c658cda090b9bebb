package deploy

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/internal/config"
)

// compose is the part of the Compose specification deploy/compose.yaml uses.
type compose struct {
	Name     string                     `yaml:"name"`
	Services map[string]composeService  `yaml:"services"`
	Volumes  map[string]*map[string]any `yaml:"volumes"`
	Secrets  map[string]any             `yaml:"secrets"`
	// Extensions are the x- keys (YAML anchors for the heard services).
	Extensions map[string]any `yaml:",inline"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Build       *composeBuild     `yaml:"build"`
	Profiles    []string          `yaml:"profiles"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	EnvFile     []string          `yaml:"env_file"`
	Ports       []string          `yaml:"ports"`
	Volumes     []string          `yaml:"volumes"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Healthcheck *struct {
		Test        []string `yaml:"test"`
		Interval    string   `yaml:"interval"`
		Timeout     string   `yaml:"timeout"`
		StartPeriod string   `yaml:"start_period"`
		Retries     int      `yaml:"retries"`
	} `yaml:"healthcheck"`
	Restart string `yaml:"restart"`
}

type composeBuild struct {
	Context    string            `yaml:"context"`
	Dockerfile string            `yaml:"dockerfile"`
	Args       map[string]string `yaml:"args"`
}

func loadCompose(t *testing.T) compose {
	t.Helper()
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true) // a key this test does not know is a mistake in one or the other
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for k := range c.Extensions {
		if !strings.HasPrefix(k, "x-") {
			t.Errorf("compose.yaml: unknown top-level key %q", k)
		}
	}
	return c
}

// interpolation matches compose's ${NAME}, ${NAME:-default}, ${NAME:?error}.
var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}`)

// readEnvFile reads KEY=VALUE lines, also commented-out ones ("# KEY=..."),
// which document an optional variable.
func readEnvFile(t *testing.T, path string) (set, documented map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set, documented = map[string]string{}, map[string]string{}
	line := regexp.MustCompile(`^(#\s*)?([A-Z_][A-Z0-9_]*)=(.*)$`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := line.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		documented[m[2]] = m[3]
		if m[1] == "" {
			set[m[2]] = m[3]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return set, documented
}

// expand resolves compose interpolation with env, failing on a required
// variable that env lacks.
func expand(t *testing.T, s string, env map[string]string) string {
	t.Helper()
	return interpolation.ReplaceAllStringFunc(s, func(ref string) string {
		m := interpolation.FindStringSubmatch(ref)
		if v := env[m[1]]; v != "" {
			return v
		}
		switch m[2] {
		case ":-", "-":
			return m[3]
		case ":?", "?":
			t.Errorf("%s: required variable %s is unset", ref, m[1])
		}
		return ""
	})
}

func TestComposeServices(t *testing.T) {
	c := loadCompose(t)
	raw, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	containerfile := readContainerfile(t)

	want := map[string][]string{"heard-trial": {"trial"}, "heard": {"production"}, "postgres": {"production"}}
	for name, profiles := range want {
		s, ok := c.Services[name]
		if !ok {
			t.Errorf("service %s missing", name)
			continue
		}
		if !slices.Equal(s.Profiles, profiles) {
			t.Errorf("%s: profiles %v, want %v", name, s.Profiles, profiles)
		}
		if s.Image == "" {
			t.Errorf("%s: no image", name)
		}
		if s.Healthcheck == nil || len(s.Healthcheck.Test) < 2 || s.Healthcheck.Test[0] != "CMD" {
			t.Errorf("%s: healthcheck %+v, want an exec-form CMD test (the heard image has no shell)", name, s.Healthcheck)
		}
		if s.Restart == "" {
			t.Errorf("%s: no restart policy", name)
		}
		for _, v := range s.Volumes {
			src := strings.SplitN(v, ":", 2)[0]
			if strings.HasPrefix(src, ".") {
				if _, err := os.Stat(src); err != nil {
					t.Errorf("%s: bind mount %s: %v", name, v, err)
				}
				continue
			}
			if _, ok := c.Volumes[src]; !ok {
				t.Errorf("%s: volume %s is not declared under volumes:", name, src)
			}
		}
	}
	for name := range c.Services {
		if _, ok := want[name]; !ok {
			t.Errorf("service %s: not checked by this test", name)
		}
	}
	if !strings.Contains(c.Services["postgres"].Image, "pgvector/pgvector:") {
		t.Errorf("postgres image %q: want pgvector/pgvector (heard's migration creates the vector extension)", c.Services["postgres"].Image)
	}
	if got := c.Services["heard"].DependsOn["postgres"].Condition; got != "service_healthy" {
		t.Errorf("heard depends_on postgres condition %q, want service_healthy", got)
	}

	// Both heard services are the image the repository's Containerfile builds.
	for _, name := range []string{"heard", "heard-trial"} {
		s := c.Services[name]
		if s.Build == nil {
			t.Errorf("%s: no build section", name)
			continue
		}
		df := filepath.Join(s.Build.Context, s.Build.Dockerfile)
		if _, err := os.Stat(df); err != nil {
			t.Errorf("%s: build file %s: %v", name, df, err)
		}
		for arg := range s.Build.Args {
			if !slices.Contains(containerfile.args, arg) {
				t.Errorf("%s: build arg %s is not an ARG of the Containerfile (%v)", name, arg, containerfile.args)
			}
		}
		probe := s.Healthcheck.Test[1]
		if !strings.Contains(containerfile.text, "-o /out"+probe+" ") {
			t.Errorf("%s: healthcheck runs %s, which the Containerfile does not build", name, probe)
		}
		if !slices.Contains(containerfile.volumes, "/data") {
			t.Errorf("Containerfile VOLUME %v lacks /data", containerfile.volumes)
		}
		if !slices.ContainsFunc(s.Volumes, func(v string) bool { return strings.HasSuffix(v, ":/data") }) {
			t.Errorf("%s: volumes %v: none on /data, the image's data directory", name, s.Volumes)
		}
		for _, p := range s.Ports {
			parts := strings.Split(p, ":")
			if port := parts[len(parts)-1]; !slices.Contains(containerfile.exposed, port) {
				t.Errorf("%s: port %s: container port %s is not EXPOSEd (%v)", name, p, port, containerfile.exposed)
			}
		}
	}

	// Every variable compose.yaml interpolates is documented in env.example,
	// and the example sets every one that is required.
	set, documented := readEnvFile(t, "env.example")
	for _, m := range interpolation.FindAllStringSubmatch(string(raw), -1) {
		if _, ok := documented[m[1]]; !ok {
			t.Errorf("compose.yaml uses ${%s}, which env.example does not document", m[1])
		}
		if strings.HasSuffix(m[2], "?") && set[m[1]] == "" {
			t.Errorf("compose.yaml requires ${%s}; env.example does not set it", m[1])
		}
	}

	// The production heard's database URL names the postgres service and
	// the database and user it creates.
	pg := c.Services["postgres"].Environment
	url := expand(t, c.Services["heard"].Environment["HEARD_DATABASE_URL"], set)
	wantURL := "postgres://" + pg["POSTGRES_USER"] + ":" + set["POSTGRES_PASSWORD"] + "@postgres:5432/" + pg["POSTGRES_DB"]
	if !strings.HasPrefix(url, wantURL) {
		t.Errorf("HEARD_DATABASE_URL %q, want it to start with %q", url, wantURL)
	}
	if expand(t, pg["POSTGRES_PASSWORD"], set) != set["POSTGRES_PASSWORD"] {
		t.Errorf("postgres and heard do not share POSTGRES_PASSWORD")
	}
}

// TestComposeConfigLoads loads each heard service's configuration the way
// the container would: its command's --config file (mounted from deploy/),
// its env_file and its environment over the image's ENV.
func TestComposeConfigLoads(t *testing.T) {
	c := loadCompose(t)
	cf := readContainerfile(t)
	composeEnv, _ := readEnvFile(t, "env.example")
	for _, name := range []string{"heard", "heard-trial"} {
		t.Run(name, func(t *testing.T) {
			s := c.Services[name]
			env := map[string]string{}
			for k, v := range cf.env {
				env[k] = v
			}
			for _, f := range s.EnvFile {
				// heard.env is made from heard.env.example; give each of its
				// variables a value, as the operator must.
				example, _ := readEnvFile(t, f+".example")
				for k := range example {
					env[k] = "value-of-" + k
				}
			}
			for k, v := range s.Environment {
				env[k] = expand(t, v, composeEnv)
			}
			path := ""
			for i, a := range s.Command {
				if a == "--config" && i+1 < len(s.Command) {
					path = s.Command[i+1]
				}
			}
			if path != "" {
				local := ""
				for _, v := range s.Volumes {
					if parts := strings.Split(v, ":"); len(parts) >= 2 && parts[1] == path {
						local = parts[0]
					}
				}
				if local == "" {
					t.Fatalf("--config %s is not mounted from deploy/", path)
				}
				path = local
			}
			cfg, err := config.Load(path, func(k string) string { return env[k] })
			if err != nil {
				t.Fatalf("config.Load: %v", err)
			}
			if cfg.DataDir != "/data" {
				t.Errorf("data_dir %q, want /data (the image's volume)", cfg.DataDir)
			}
			switch name {
			case "heard":
				if cfg.Store() != config.StorePostgres {
					t.Errorf("production store %q (url %q), want PostgreSQL", cfg.Store(), cfg.DatabaseURL)
				}
				if len(cfg.Connectors) == 0 {
					t.Error("production config has no connector")
				}
				if cfg.Admin.Listen != ":8081" {
					t.Errorf("admin.listen %q, want :8081", cfg.Admin.Listen)
				}
			case "heard-trial":
				if cfg.DatabaseURL != "" {
					t.Errorf("trial database_url %q, want the embedded store", cfg.DatabaseURL)
				}
			}
		})
	}
}
