package plugins

import (
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/config"
	sdkplugin "github.com/heardhq/heard/sdk/plugin"
)

func TestBackoff(t *testing.T) {
	base, limit := 250*time.Millisecond, 2*time.Second
	for n, want := range []time.Duration{0, 250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 2 * time.Second} {
		if got := backoff(n, base, limit); got != want {
			t.Errorf("backoff(%d) = %s; want %s", n, got, want)
		}
	}
}

// The breaker opens at the threshold, skips the plugin for the cooldown,
// doubles the cooldown when it reopens, and closes on a success.
func TestCircuitBreaker(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cfg := DefaultConfig()
	cfg.FailureThreshold, cfg.Cooldown, cfg.MaxBackoff = 2, config.Duration(time.Second), config.Duration(3*time.Second)
	in := &instance{id: "plugin.x", entry: Entry{Name: "x"}, cfg: cfg, timeout: time.Second, log: slog.New(slog.DiscardHandler),
		wg: &sync.WaitGroup{}, now: func() time.Time { return now }}
	fail := func() { in.report(nil, errors.New("slow"), true) }

	fail()
	if !in.openUntil.IsZero() {
		t.Fatal("opened after one failure; threshold is 2")
	}
	fail()
	if want := now.Add(time.Second); !in.openUntil.Equal(want) {
		t.Fatalf("openUntil = %s; want %s", in.openUntil, want)
	}
	if _, err := in.acquire(t.Context()); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("acquire while open = %v; want ErrCircuitOpen", err)
	}
	now = now.Add(time.Second)
	fail() // the trial after the cooldown fails: reopen for twice as long
	if want := now.Add(2 * time.Second); !in.openUntil.Equal(want) {
		t.Fatalf("reopened until %s; want %s", in.openUntil, want)
	}
	now = now.Add(2 * time.Second)
	fail()
	if want := now.Add(3 * time.Second); !in.openUntil.Equal(want) {
		t.Fatalf("reopened until %s; want %s (capped)", in.openUntil, want)
	}
	in.report(nil, nil, false)
	if in.failures != 0 || in.cooldown != 0 {
		t.Errorf("after a success: failures %d, cooldown %s; want reset", in.failures, in.cooldown)
	}
	// Errors the plugin means (not found, invalid) are not failures.
	in.report(nil, errors.Join(errors.New("no such ticket")), false)
	if in.failures != 0 {
		t.Errorf("a plugin's own error counted as a failure")
	}
	in.report(nil, sdkplugin.ErrPanicked, false)
	if in.failures != 1 {
		t.Errorf("a panic did not count as a failure")
	}
}
