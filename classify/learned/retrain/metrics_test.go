package retrain

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

type fakeVersions struct {
	v   int64
	err error
}

func (f *fakeVersions) CurrentModelVersion(_ context.Context, kind string) (int64, error) {
	if kind != Kind {
		return 0, errors.New("asked for kind " + kind)
	}
	return f.v, f.err
}

func TestVersionCollector(t *testing.T) {
	src := &fakeVersions{v: 7}
	reg := prometheus.NewRegistry()
	reg.MustRegister(VersionCollector(src))
	want := "# HELP heard_model_version The current (promoted) version of the learned classifier's model, which every replica serves; 0 when there is none.\n" +
		"# TYPE heard_model_version gauge\nheard_model_version{kind=\"classifier\"} 7\n"
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "heard_model_version"); err != nil {
		t.Error(err)
	}
	src.v = 8 // promoted since: the next scrape reads it
	if err := testutil.GatherAndCompare(reg, strings.NewReader(strings.Replace(want, "} 7", "} 8", 1)), "heard_model_version"); err != nil {
		t.Error(err)
	}
	src.err = errors.New("store down")
	if n, err := testutil.GatherAndCount(reg, "heard_model_version"); err != nil || n != 0 {
		t.Errorf("with the store down: %d series, %v; want none", n, err)
	}
}
