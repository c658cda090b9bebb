package vendorapi

import (
	"errors"
	"testing"
	"time"
)

func TestRecent(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	r := NewRecent[string, int](time.Minute, func() time.Time { return at })
	if _, ok := r.get("a"); ok {
		t.Fatal("empty Recent found a")
	}
	r.add("a", 1, at)
	at = at.Add(59 * time.Second)
	if v, ok := r.get("a"); !ok || v != 1 {
		t.Fatalf("after 59s Get = %v, %v; want 1, true", v, ok)
	}
	at = at.Add(time.Second)
	if _, ok := r.get("a"); ok {
		t.Fatal("after a minute a is still kept")
	}
	r.add("b", 2, at)
	at = at.Add(-time.Second) // the clock went back: do not trust the entry
	if _, ok := r.get("b"); ok {
		t.Fatal("an entry read in the future was returned")
	}
	reads := 0
	read := func() (int, error) { reads++; return 7, nil }
	if v, err := r.Read("z", read); err != nil || v != 7 || reads != 1 {
		t.Fatalf("Read of a missing record = %v, %v after %d reads; want 7 from one read", v, err, reads)
	}
	if v, err := r.Read("z", read); err != nil || v != 7 || reads != 1 {
		t.Fatalf("second Read = %v, %v after %d reads; want 7 kept, still one read", v, err, reads)
	}
	if _, err := r.Read("y", func() (int, error) { return 0, errors.New("down") }); err == nil {
		t.Fatal("a failed read returned no error")
	}
	if _, ok := r.get("y"); ok {
		t.Fatal("a failed read was kept")
	}
	for i := range recentSize + 1 {
		r.add(string(rune('c'+i)), i, at)
	}
	if _, ok := r.get("c"); ok {
		t.Errorf("Recent kept more than %d entries", recentSize)
	}
}
