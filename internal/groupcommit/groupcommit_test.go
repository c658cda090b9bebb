package groupcommit

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var errRefused = errors.New("value refused")

// A failed merged commit is retried request by request only when Isolate
// says the database refused data; then only the guilty request fails.
func TestFailedCommitSplitsOnlyWhenIsolated(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		wantGood  bool
		wantCalls int
	}{
		{"refused data is isolated", errRefused, true, 5},
		{"other errors reach everyone", errors.New("database unreachable"), false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			c := &Committer[string, string]{cfg: Config[string, string]{
				Commit: func(_ context.Context, reqs []string) ([]string, error) {
					calls++
					for _, r := range reqs {
						if strings.HasPrefix(r, "bad") {
							return nil, tc.err
						}
					}
					out := make([]string, len(reqs))
					for i, r := range reqs {
						out[i] = "ok:" + r
					}
					return out, nil
				},
				Isolate: func(err error) bool { return errors.Is(err, errRefused) },
				Timeout: time.Second, What: "test",
			}}
			var batch []*request[string, string]
			for _, k := range []string{"good1", "bad", "good2", "good3"} {
				batch = append(batch, &request[string, string]{ctx: t.Context(), item: k, done: make(chan response[string], 1)})
			}
			c.flush(batch)
			if calls != tc.wantCalls {
				t.Errorf("%d commits; want %d", calls, tc.wantCalls)
			}
			for _, r := range batch {
				resp := <-r.done
				bad := r.item == "bad"
				switch {
				case bad && resp.err == nil:
					t.Errorf("%s: no error; want the database's", r.item)
				case !bad && tc.wantGood && (resp.err != nil || resp.res != "ok:"+r.item):
					t.Errorf("%s: %q %v; want ok:%s", r.item, resp.res, resp.err, r.item)
				case !bad && !tc.wantGood && resp.err == nil:
					t.Errorf("%s: no error; want the batch's error", r.item)
				}
			}
		})
	}
}

// Concurrent callers share commits and each gets its own answer.
func TestConcurrentSubmitsShareCommits(t *testing.T) {
	var calls, largest atomic.Int64
	release := make(chan struct{})
	c := New(Config[int, int]{
		Commit: func(_ context.Context, reqs []int) ([]int, error) {
			if calls.Add(1) == 1 {
				<-release // hold the first commit so the rest pile up
			}
			if n := int64(len(reqs)); n > largest.Load() {
				largest.Store(n)
			}
			out := make([]int, len(reqs))
			for i, r := range reqs {
				out[i] = r * r
			}
			return out, nil
		},
		Max: 64,
	})
	defer c.Close()
	var wg sync.WaitGroup
	got := make([]int, 30)
	for i := range 30 {
		wg.Go(func() {
			v, err := c.Submit(t.Context(), i)
			if err != nil {
				t.Errorf("submit %d: %v", i, err)
			}
			got[i] = v
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	for i, v := range got {
		if v != i*i {
			t.Errorf("caller %d got %d, want %d", i, v, i*i)
		}
	}
	if calls.Load() >= 30 || largest.Load() < 2 {
		t.Errorf("%d commits, largest %d; want callers merged", calls.Load(), largest.Load())
	}
}

func TestSizeCapsACommit(t *testing.T) {
	var mu sync.Mutex
	var sizes []int
	release := make(chan struct{})
	first := true
	c := New(Config[[]int, int]{
		Commit: func(_ context.Context, reqs [][]int) ([]int, error) {
			mu.Lock()
			wait := first
			first = false
			n := 0
			for _, r := range reqs {
				n += len(r)
			}
			sizes = append(sizes, n)
			mu.Unlock()
			if wait {
				<-release
			}
			return make([]int, len(reqs)), nil
		},
		Size: func(r []int) int { return len(r) },
		Max:  10,
	})
	defer c.Close()
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			if _, err := c.Submit(t.Context(), []int{1, 2, 3}); err != nil {
				t.Error(err)
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	total := 0
	for _, n := range sizes {
		total += n
		if n > 12 { // a commit stops gathering once it reaches Max (10): at most 9 + 3
			t.Errorf("a commit of size %d; want at most 12", n)
		}
	}
	if total != 36 {
		t.Errorf("committed %d items, want 36", total)
	}
}

func TestErrorsReachEveryCallerAndCloseRefuses(t *testing.T) {
	boom := errors.New("db down")
	c := New(Config[string, bool]{Commit: func(context.Context, []string) ([]bool, error) { return nil, boom }})
	if _, err := c.Submit(t.Context(), "a"); !errors.Is(err, boom) {
		t.Errorf("submit error = %v; want %v", err, boom)
	}
	c.Close()
	if _, err := c.Submit(t.Context(), "b"); !errors.Is(err, ErrClosed) {
		t.Errorf("submit after close = %v; want ErrClosed", err)
	}
	short := New(Config[string, bool]{Commit: func(_ context.Context, r []string) ([]bool, error) { return nil, nil }})
	defer short.Close()
	if _, err := short.Submit(t.Context(), "x"); err == nil || !strings.Contains(err.Error(), "0 answers for 1") {
		t.Errorf("a commit answering too few: %v; want an error", err)
	}
}
