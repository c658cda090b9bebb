package sqlite

import (
	"container/heap"
	"runtime"
	"sync"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
)

// scored is one chunk (by position in the index) and its similarity.
type scored struct {
	i   int
	sim float32
}

// minHeap keeps the k best seen so far, the worst on top.
type minHeap []scored

func (h minHeap) Len() int { return len(h) }
func (h minHeap) Less(a, b int) bool {
	if h[a].sim != h[b].sim {
		return h[a].sim < h[b].sim
	}
	return h[a].i > h[b].i // on ties the earlier chunk wins
}
func (h minHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *minHeap) Push(x any)   { *h = append(*h, x.(scored)) } //nolint:errcheck // heap.Interface: only scored values are pushed
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (h *minHeap) offer(c scored, k int) {
	if h.Len() < k {
		heap.Push(h, c)
		return
	}
	if top := (*h)[0]; c.sim > top.sim || (c.sim == top.sim && c.i < top.i) {
		(*h)[0] = c
		heap.Fix(h, 0)
	}
}

// parallelMin is the index size from which the scan is split across CPUs.
const parallelMin = 8192

// search returns the k chunks most similar to v that pass f, best first.
func (idx *index) search(v []float32, f kb.Filter, k int) []scored {
	n := len(idx.ids)
	parts := 1
	if n >= parallelMin {
		parts = min(runtime.GOMAXPROCS(0), 4)
	}
	heaps := make([]minHeap, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Go(func() {
			h := make(minHeap, 0, k+1)
			for i := lo; i < hi; i++ {
				if !idx.matches(i, f) {
					continue
				}
				h.offer(scored{i: i, sim: embed.Dot(v, idx.vecs[i*idx.dim:(i+1)*idx.dim])}, k)
			}
			heaps[p] = h
		})
	}
	wg.Wait()
	all := heaps[0]
	for _, h := range heaps[1:] {
		for _, c := range h {
			all.offer(c, k)
		}
	}
	out := make([]scored, all.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&all).(scored) //nolint:errcheck // only scored values are in the heap
	}
	return out
}

func dot(a, b []float32) float32 { return embed.Dot(a, b) }
