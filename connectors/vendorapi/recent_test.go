package vendorapi

import (
	"testing"
	"time"
)

func TestRecent(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := NewRecent[string, int](time.Minute, func() time.Time { return at })
	if _, ok := r.Get("a"); ok {
		t.Fatal("empty Recent found a")
	}
	r.Add("a", 1, at)
	at = at.Add(59 * time.Second)
	if v, ok := r.Get("a"); !ok || v != 1 {
		t.Fatalf("after 59s Get = %v, %v; want 1, true", v, ok)
	}
	at = at.Add(time.Second)
	if _, ok := r.Get("a"); ok {
		t.Fatal("after a minute a is still kept")
	}
	r.Add("b", 2, at)
	at = at.Add(-time.Second) // the clock went back: do not trust the entry
	if _, ok := r.Get("b"); ok {
		t.Fatal("an entry read in the future was returned")
	}
	for i := range recentSize + 1 {
		r.Add(string(rune('c'+i)), i, at)
	}
	if _, ok := r.Get("c"); ok {
		t.Errorf("Recent kept more than %d entries", recentSize)
	}
}
