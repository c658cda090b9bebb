package deploy

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestImageBuilds builds ../Containerfile with buildah (Debian's package,
// installed by scripts/buildah.sh) and checks the image: its config (user,
// volume, ports, healthcheck, entrypoint, labels), its files (a static
// stamped heard, the probe, CA certificates, a /data owned by the user and
// nothing else: no shell), and then runs it: `heard version`, and `heard
// serve` with the image's own heard-healthcheck probing /readyz.
//
// The builder image (GO_IMAGE) is replaced by a stand-in made here, since
// this machine reaches no container registry: busybox as its shell and
// the host's Go toolchain and module cache mounted read-only into the RUN
// steps. Every instruction of the Containerfile runs as written.
func TestImageBuilds(t *testing.T) {
	for _, tool := range []string{"buildah", "runc", "/bin/busybox"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (scripts/buildah.sh installs it): %v", tool, err)
		}
	}
	if runtime.GOOS != "linux" {
		t.Skip("buildah builds Linux images on Linux")
	}
	goroot := goEnv(t, "GOROOT")
	modcache := goEnv(t, "GOMODCACHE")
	gocache := goEnv(t, "GOCACHE")
	id := fmt.Sprintf("%d", time.Now().UnixNano())
	builder := "localhost/heard-imagetest-go:" + id
	image := "localhost/heard-imagetest:" + id

	// The stand-in builder: busybox for /bin/sh, cp, mkdir, chmod, printf.
	ctr := buildah(t, "from", "--name", "heard-imagetest-go-"+id, "scratch")
	t.Cleanup(func() { _, _ = exec.Command("buildah", "rm", ctr).CombinedOutput() })
	buildah(t, "copy", ctr, "/bin/busybox", "/bin/busybox")
	buildah(t, "run", "--isolation", "chroot", ctr, "/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && mkdir -m 1777 /tmp")
	buildah(t, "copy", ctr, "/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt")
	buildah(t, "config", "--env", "PATH=/usr/local/go/bin:/bin", "--env", "GOPATH=/go", "--env", "HOME=/root",
		"--env", "GOPROXY=off", "--env", "GOTOOLCHAIN=local", "--env", "GOCACHE=/root/.cache/go-build", ctr)
	buildah(t, "commit", "--quiet", ctr, builder)
	t.Cleanup(func() { _, _ = exec.Command("buildah", "rmi", "--force", builder).CombinedOutput() })

	// The builder has no network (GOPROXY=off) and reads the host's module
	// cache: fill it with every module the Containerfile's `go mod
	// download` step asks for, some of which (a Windows-only dependency)
	// no host build or test may have fetched yet.
	dl := exec.CommandContext(t.Context(), "go", "mod", "download")
	dl.Dir = ".."
	if out, err := dl.CombinedOutput(); err != nil {
		t.Fatalf("go mod download on the host: %v\n%s", err, out)
	}

	const (
		version = "v0.0.0-imagetest"
		commit  = "fedcba987654"
		date    = "2026-12-07T01:02:03Z"
	)
	buildah(t, "build", "--format", "docker", "--isolation", "chroot", "--pull-never",
		"--volume", goroot+":/usr/local/go:ro",
		"--volume", modcache+":/go/pkg/mod:ro",
		"--volume", gocache+":/root/.cache/go-build",
		"--build-arg", "GO_IMAGE="+builder,
		"--build-arg", "VERSION="+version, "--build-arg", "COMMIT="+commit, "--build-arg", "DATE="+date,
		"--file", "../Containerfile", "--tag", image, "..")
	t.Cleanup(func() { _, _ = exec.Command("buildah", "rmi", "--force", image).CombinedOutput() })

	// The image's configuration.
	var inspect struct {
		Docker struct {
			Config struct {
				User         string
				Env          []string
				Volumes      map[string]struct{}
				ExposedPorts map[string]struct{}
				Healthcheck  *struct{ Test []string }
				Entrypoint   []string
				Cmd          []string
				WorkingDir   string
				Labels       map[string]string
			} `json:"config"`
		}
	}
	if err := json.Unmarshal([]byte(buildah(t, "inspect", "--type", "image", image)), &inspect); err != nil {
		t.Fatal(err)
	}
	cfg := inspect.Docker.Config
	if cfg.User != "65532:65532" {
		t.Errorf("User %q, want 65532:65532", cfg.User)
	}
	for _, e := range []string{"HEARD_DATA_DIR=/data", "HEARD_LISTEN=:8080", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"} {
		if !slices.Contains(cfg.Env, e) {
			t.Errorf("Env %v lacks %s", cfg.Env, e)
		}
	}
	if _, ok := cfg.Volumes["/data"]; !ok || len(cfg.Volumes) != 1 {
		t.Errorf("Volumes %v, want /data", cfg.Volumes)
	}
	for _, p := range []string{"8080/tcp", "8081/tcp"} {
		if _, ok := cfg.ExposedPorts[p]; !ok {
			t.Errorf("ExposedPorts %v lacks %s", cfg.ExposedPorts, p)
		}
	}
	if cfg.Healthcheck == nil || !slices.Equal(cfg.Healthcheck.Test, []string{"CMD", "/usr/local/bin/heard-healthcheck"}) {
		t.Errorf("Healthcheck %+v, want CMD /usr/local/bin/heard-healthcheck", cfg.Healthcheck)
	}
	if !slices.Equal(cfg.Entrypoint, []string{"/usr/local/bin/heard"}) || !slices.Equal(cfg.Cmd, []string{"serve"}) {
		t.Errorf("Entrypoint %v Cmd %v, want heard serve", cfg.Entrypoint, cfg.Cmd)
	}
	if cfg.Labels["org.opencontainers.image.version"] != version || cfg.Labels["org.opencontainers.image.revision"] != commit ||
		cfg.Labels["org.opencontainers.image.licenses"] != "Apache-2.0" {
		t.Errorf("Labels %v", cfg.Labels)
	}

	// Its files.
	run := buildah(t, "from", "--pull-never", "--name", "heard-imagetest-"+id, image)
	t.Cleanup(func() { _, _ = exec.Command("buildah", "rm", run).CombinedOutput() })
	root := buildah(t, "mount", run)
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel != "." && !d.IsDir() {
			files = append(files, "/"+rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	want := []string{"/etc/group", "/etc/passwd", "/etc/ssl/certs/ca-certificates.crt", "/usr/local/bin/heard", "/usr/local/bin/heard-healthcheck"}
	if !slices.Equal(files, want) {
		t.Errorf("image files %v, want exactly %v", files, want)
	}
	for _, bin := range []string{"heard", "heard-healthcheck"} {
		f, err := elf.Open(filepath.Join(root, "usr/local/bin", bin))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s is dynamically linked; scratch has no loader", bin)
			}
		}
		f.Close()
	}
	st, err := os.Stat(filepath.Join(root, "data"))
	if err != nil {
		t.Fatal(err)
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); !ok || !st.IsDir() || sys.Uid != 65532 || sys.Gid != 65532 {
		t.Errorf("/data: %v %+v, want a directory owned by 65532:65532", st.Mode(), st.Sys())
	}
	if passwd, _ := os.ReadFile(filepath.Join(root, "etc/passwd")); !bytes.Contains(passwd, []byte(":65532:65532:")) {
		t.Errorf("/etc/passwd has no user 65532:\n%s", passwd)
	}
	if ca, _ := os.ReadFile(filepath.Join(root, "etc/ssl/certs/ca-certificates.crt")); bytes.Count(ca, []byte("BEGIN CERTIFICATE")) < 10 {
		t.Errorf("CA bundle has %d certificates", bytes.Count(ca, []byte("BEGIN CERTIFICATE")))
	}

	// It runs: heard version as the image's user, then serve and the probe.
	if out := buildah(t, "run", run, "--", "/usr/local/bin/heard", "version"); !strings.HasPrefix(out, fmt.Sprintf("heard %s (commit %s, built %s, ", version, commit, date)) {
		t.Errorf("heard version in the image = %q", out)
	}
	port := freePort(t)
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	serve := exec.CommandContext(ctx, "buildah", "run", "--network", "host", "--env", "HEARD_LISTEN=127.0.0.1:"+port, run, "--", "/usr/local/bin/heard", "serve")
	var serveOut bytes.Buffer
	serve.Stdout, serve.Stderr = &serveOut, &serveOut
	serve.WaitDelay = 10 * time.Second
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	readyz := "http://127.0.0.1:" + port + "/readyz"
	ready := false
	for !ready && ctx.Err() == nil {
		resp, err := http.Get(readyz)
		if err == nil {
			ready = resp.StatusCode == http.StatusOK
			resp.Body.Close()
		}
		if !ready {
			time.Sleep(250 * time.Millisecond)
		}
	}
	if !ready {
		cancel()
		_ = serve.Wait()
		t.Fatalf("heard serve in the image never became ready on %s:\n%s", readyz, serveOut.String())
	}
	probe := exec.Command("buildah", "run", "--network", "host", "--env", "HEARD_LISTEN=127.0.0.1:"+port, run, "--", "/usr/local/bin/heard-healthcheck")
	out, err := probe.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok: "+readyz) {
		t.Errorf("heard-healthcheck against the running image: %v %s", err, out)
	}
	_ = serve.Process.Signal(syscall.SIGTERM)
	_ = serve.Wait()
	// /readyz answered 200 only after a write to the store; the store is
	// the embedded one in the image's /data (buildah run mounts the
	// declared volume there, so the file is not in the image's root).
	if log := serveOut.String(); !strings.Contains(log, "store=sqlite data=/data") {
		t.Errorf("serve did not use the embedded store in /data:\n%s", log)
	}

	// With nothing listening, the probe fails.
	probe = exec.Command("buildah", "run", "--network", "host", "--env", "HEARD_LISTEN=127.0.0.1:"+port, run, "--", "/usr/local/bin/heard-healthcheck")
	if out, err := probe.CombinedOutput(); err == nil || !strings.Contains(string(out), "unhealthy") {
		t.Errorf("heard-healthcheck with heard stopped: %v %s, want unhealthy and a failure", err, out)
	}
}

// buildah runs one buildah command and returns its trimmed stdout.
func buildah(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("buildah", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("buildah %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
