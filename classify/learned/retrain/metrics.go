package retrain

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// versionReader is the part of the store the version metric reads.
type versionReader interface {
	CurrentModelVersion(ctx context.Context, kind string) (int64, error)
}

var versionDesc = prometheus.NewDesc("heard_model_version",
	"The current (promoted) version of the learned classifier's model, which every replica serves; 0 when there is none.", []string{"kind"}, nil)

// scrapeTimeout bounds the store read of one scrape.
const scrapeTimeout = 2 * time.Second

// VersionCollector reports heard_model_version{kind="classifier"}, read
// from src at each scrape (one small query); a scrape that cannot read it
// leaves the metric out.
func VersionCollector(src versionReader) prometheus.Collector {
	return versionCollector{src: src}
}

type versionCollector struct{ src versionReader }

func (c versionCollector) Describe(ch chan<- *prometheus.Desc) { ch <- versionDesc }

func (c versionCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	v, err := c.src.CurrentModelVersion(ctx, Kind)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(versionDesc, prometheus.GaugeValue, float64(v), Kind)
}
