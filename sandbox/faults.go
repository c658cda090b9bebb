package sandbox

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault is a failure the sandbox injects instead of (or before) the vendor's
// answer. Empty match fields match anything.
type Fault struct {
	Vendor, Account string
	Method          string
	PathContains    string
	// What happens: Status (with Header and Body) answers at once; Delay
	// sleeps first (then answers with Status, or passes through when Status
	// is 0); Drop closes the connection without an answer.
	Status int
	Header map[string]string
	Body   string
	Delay  time.Duration
	Drop   bool
	// Times is how many matching requests the fault applies to; 0 means 1,
	// a negative number means forever (until Clear).
	Times int
}

// Faults is the set of pending faults, applied in the order added.
type Faults struct {
	mu     sync.Mutex
	faults []*Fault
	fired  int
}

// Add schedules a fault.
func (f *Faults) Add(ft Fault) {
	if ft.Times == 0 {
		ft.Times = 1
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, &ft)
}

// Clear removes all pending faults.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = nil
}

// Fired is how many requests were answered by a fault.
func (f *Faults) Fired() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fired
}

func (f *Faults) take(r *http.Request, vendor, account string) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, ft := range f.faults {
		if (ft.Vendor != "" && ft.Vendor != vendor) || (ft.Account != "" && ft.Account != account) ||
			(ft.Method != "" && ft.Method != r.Method) || (ft.PathContains != "" && !strings.Contains(r.URL.Path, ft.PathContains)) {
			continue
		}
		c := *ft
		if ft.Times > 0 {
			ft.Times--
			if ft.Times == 0 {
				f.faults = append(f.faults[:i], f.faults[i+1:]...)
			}
		}
		f.fired++
		return &c
	}
	return nil
}

// apply runs a matching fault; it reports whether the request was answered.
func (f *Faults) apply(w http.ResponseWriter, r *http.Request, vendor, account string) bool {
	ft := f.take(r, vendor, account)
	if ft == nil {
		return false
	}
	if ft.Delay > 0 {
		t := time.NewTimer(ft.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	if ft.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // closes the connection without a response
	}
	if ft.Status == 0 {
		return false // a pure delay: let the vendor answer
	}
	for k, v := range ft.Header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(ft.Status)
	body := ft.Body
	if body == "" {
		body = `{"error":"` + http.StatusText(ft.Status) + `"}`
	}
	_, _ = w.Write([]byte(body))
	return true
}
