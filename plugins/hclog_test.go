package plugins

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/hashicorp/go-hclog"
)

// go-plugin's records use heard's keys and cannot overwrite the handler's.
func TestHCLogKeys(t *testing.T) {
	var buf bytes.Buffer
	l := newHCLog(slog.New(slog.NewJSONHandler(&buf, nil)).With("plugin", "plugin.vip"), hclog.Info, "")
	l.Error("plugin process exited", "plugin", "/opt/vip", "id", "4242", "error", "exit status 3", "msg", "spoof")
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"msg": "plugin process exited", "plugin": "plugin.vip", "binary": "/opt/vip", "pid": "4242",
		"err": "exit status 3", "plugin_msg": "spoof", "level": "ERROR"}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("%s = %v; want %v (record %s)", k, rec[k], v, buf.String())
		}
	}
	for _, k := range []string{"id", "error"} {
		if _, ok := rec[k]; ok {
			t.Errorf("record still has go-plugin's key %q: %s", k, buf.String())
		}
	}
}
