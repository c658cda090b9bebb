package deploy

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// containerfile is what the tests read from ../Containerfile: the whole
// text and the final stage's settings.
type containerfile struct {
	text        string
	args        []string          // every ARG name, in any stage
	stages      []string          // FROM lines
	env         map[string]string // the final stage's ENV
	user        string
	volumes     []string
	exposed     []string
	healthcheck string
	entrypoint  string
	cmd         string
}

// readContainerfile parses ../Containerfile: comments dropped, continued
// lines joined, one instruction per line.
func readContainerfile(t *testing.T) containerfile {
	t.Helper()
	data, err := os.ReadFile("../Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	cf := containerfile{text: string(data)}
	var lines []string
	var cur strings.Builder
	for _, l := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(l)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && cur.Len() == 0) {
			continue
		}
		if body, ok := strings.CutSuffix(trimmed, "\\"); ok {
			cur.WriteString(body + " ")
			continue
		}
		cur.WriteString(trimmed)
		lines = append(lines, cur.String())
		cur.Reset()
	}
	for _, l := range lines {
		instr, rest, _ := strings.Cut(l, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToUpper(instr) {
		case "FROM":
			cf.stages = append(cf.stages, rest)
			cf.env = map[string]string{}
			cf.user, cf.volumes, cf.exposed, cf.healthcheck, cf.entrypoint, cf.cmd = "", nil, nil, "", "", ""
		case "ARG":
			name, _, _ := strings.Cut(rest, "=")
			if !slices.Contains(cf.args, name) {
				cf.args = append(cf.args, name)
			}
		case "ENV":
			for _, kv := range strings.Fields(rest) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					cf.env[k] = v
				}
			}
		case "USER":
			cf.user = rest
		case "VOLUME":
			cf.volumes = append(cf.volumes, strings.Fields(rest)...)
		case "EXPOSE":
			for _, p := range strings.Fields(rest) {
				cf.exposed = append(cf.exposed, strings.TrimSuffix(p, "/tcp"))
			}
		case "HEALTHCHECK":
			cf.healthcheck = rest
		case "ENTRYPOINT":
			cf.entrypoint = rest
		case "CMD":
			cf.cmd = rest
		}
	}
	return cf
}

// TestContainerfile checks what the image promises without building it:
// a static, stamped build on a scratch base, run as a numeric non-root user
// with /data as the embedded store's volume. The image test builds it.
func TestContainerfile(t *testing.T) {
	cf := readContainerfile(t)
	if len(cf.stages) != 2 || !strings.HasSuffix(cf.stages[0], " AS build") || cf.stages[1] != "scratch" {
		t.Errorf("stages %q, want a build stage and scratch", cf.stages)
	}
	for _, want := range []string{
		"CGO_ENABLED=0", "-trimpath",
		"-X $pkg.Version=$VERSION", "-X $pkg.Commit=$COMMIT", "-X $pkg.Date=$DATE",
		"pkg=github.com/heardhq/heard/internal/buildinfo",
		"./cmd/heard ", "./cmd/heard-healthcheck ",
		"/etc/ssl/certs/ca-certificates.crt",
	} {
		if !strings.Contains(cf.text, want) {
			t.Errorf("Containerfile lacks %q", want)
		}
	}
	for _, arg := range []string{"GO_IMAGE", "VERSION", "COMMIT", "DATE"} {
		if !slices.Contains(cf.args, arg) {
			t.Errorf("no ARG %s (have %v)", arg, cf.args)
		}
	}
	uid, gid, _ := strings.Cut(cf.user, ":")
	if uid == "" || uid == "0" || strings.Trim(uid, "0123456789") != "" || strings.Trim(gid, "0123456789") != "" {
		t.Errorf("USER %q, want a numeric non-root uid:gid", cf.user)
	}
	if cf.env["HEARD_DATA_DIR"] != "/data" || !slices.Contains(cf.volumes, "/data") {
		t.Errorf("HEARD_DATA_DIR %q, VOLUME %v: want /data for both", cf.env["HEARD_DATA_DIR"], cf.volumes)
	}
	if !strings.Contains(cf.text, "--chown="+cf.user+" /data /data") {
		t.Errorf("the /data directory is not owned by USER %s", cf.user)
	}
	if !slices.Equal(cf.exposed, []string{"8080", "8081"}) {
		t.Errorf("EXPOSE %v, want 8080 (webhooks) and 8081 (admin)", cf.exposed)
	}
	if cf.env["HEARD_LISTEN"] != ":8080" {
		t.Errorf("HEARD_LISTEN %q, want :8080 (the EXPOSEd webhook port)", cf.env["HEARD_LISTEN"])
	}
	if !strings.Contains(cf.healthcheck, `CMD ["/usr/local/bin/heard-healthcheck"]`) {
		t.Errorf("HEALTHCHECK %q, want the exec-form probe", cf.healthcheck)
	}
	if cf.entrypoint != `["/usr/local/bin/heard"]` || cf.cmd != `["serve"]` {
		t.Errorf("ENTRYPOINT %s CMD %s, want heard serve", cf.entrypoint, cf.cmd)
	}
	ci, err := os.ReadFile("../.containerignore")
	if err != nil {
		t.Fatal(err)
	}
	di, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	if patterns(string(ci)) != patterns(string(di)) {
		t.Errorf(".containerignore and .dockerignore differ:\n%s\n--\n%s", patterns(string(ci)), patterns(string(di)))
	}
	for _, p := range []string{".git", "dist/", "bin/"} {
		if !strings.Contains("\n"+patterns(string(ci)), "\n"+p+"\n") {
			t.Errorf(".containerignore does not exclude %s", p)
		}
	}
}

// patterns is an ignore file without its comments.
func patterns(s string) string {
	var out strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out.WriteString(l + "\n")
		}
	}
	return out.String()
}
