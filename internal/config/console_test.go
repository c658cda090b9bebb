package config

import (
	"strings"
	"testing"
)

func TestConsoleDefaultsToLoopback(t *testing.T) {
	c, err := Load(writeFile(t, "admin:\n  console:\n    enabled: true\n"), env(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Admin.Listen != DefaultAdminListen || !Loopback(c.Admin.Listen) {
		t.Errorf("admin.listen = %q, want %q", c.Admin.Listen, DefaultAdminListen)
	}
}

func TestConsoleStrictKeys(t *testing.T) {
	_, err := Load(writeFile(t, "admin:\n  console:\n    enabled: true\n    pasword_hash: x\n"), env(nil))
	if err == nil || !strings.Contains(err.Error(), "pasword_hash") || !strings.Contains(err.Error(), "heard.yaml:4:") {
		t.Fatalf("Load with a misspelt key = %v, want an error naming the key and line 4 (heard.yaml:4)", err)
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8081": true, "127.1.2.3:1": true, "[::1]:8081": true, "localhost:8081": true,
		":8081": false, "0.0.0.0:8081": false, "[::]:8081": false, "192.0.2.1:8081": false, "example.com:80": false, "nonsense": false,
	} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
