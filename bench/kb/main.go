package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pgvector/pgvector-go"

	"github.com/heardhq/heard/kb"
	"github.com/heardhq/heard/kb/embed"
	kbpostgres "github.com/heardhq/heard/kb/postgres"
	kbsqlite "github.com/heardhq/heard/kb/sqlite"
)

// result is one store's line of output.
type result struct {
	Store       string  `json:"store"`
	Chunks      int     `json:"chunks"`
	Articles    int     `json:"articles"`
	Dim         int     `json:"dim"`
	LoadSec     float64 `json:"load_s"`                  // sync: parse, chunk, embed, store
	IndexSec    float64 `json:"index_build_s,omitempty"` // HNSW build after the load
	Concurrency int     `json:"concurrency"`
	Pool        int     `json:"pool,omitempty"`
	Queries     int     `json:"queries"`
	EFSearch    int     `json:"ef_search,omitempty"`
	M           int     `json:"m,omitempty"`
	EFConstr    int     `json:"ef_construction,omitempty"`
	VectorP50   float64 `json:"vector_p50_ms"` // top-10 by vector alone (the store's candidate query)
	VectorP99   float64 `json:"vector_p99_ms"`
	HybridP50   float64 `json:"hybrid_p50_ms"` // kb.Search: embed the query, both lists, fuse
	HybridP99   float64 `json:"hybrid_p99_ms"`
	// Single-client hybrid kb.Search (concurrency 1, up to singleQueries
	// of the measured queries): the bar is p50 <= 10 ms at 20,000
	// chunks.
	SingleP50  float64 `json:"single_hybrid_p50_ms"`
	SingleP99  float64 `json:"single_hybrid_p99_ms"`
	RecallAt10 float64 `json:"recall_at_10,omitempty"` // HNSW top 10 vs exact top 10 over the same vectors

}

type options struct {
	pgN, sqliteN, queries, conc, efSearch int
	pool, m, efConstruction               int
	dbURL, cpuProfile                     string
	stores                                []string
	seed                                  uint64
}

func main() {
	var o options
	flag.IntVar(&o.pgN, "n", 20000, "chunks in the PostgreSQL run")
	flag.IntVar(&o.sqliteN, "sqlite-n", 20000, "chunks in the SQLite run")
	flag.IntVar(&o.queries, "queries", 2000, "queries per measurement")
	flag.IntVar(&o.conc, "concurrency", 8, "concurrent searchers")
	flag.IntVar(&o.efSearch, "ef-search", kbpostgres.DefaultEFSearch, "hnsw.ef_search")
	flag.IntVar(&o.m, "m", kbpostgres.DefaultM, "HNSW m")
	flag.IntVar(&o.efConstruction, "ef-construction", kbpostgres.DefaultEFConstruction, "HNSW ef_construction")
	flag.IntVar(&o.pool, "pool", runtime.NumCPU(), "PostgreSQL connections (the server is expected to run here: one per CPU)")
	flag.StringVar(&o.dbURL, "db", os.Getenv("HEARD_TEST_DATABASE_URL"), "PostgreSQL URL (the tables go in a temporary schema)")
	stores := flag.String("stores", "postgres,sqlite", "comma-separated stores to measure")
	seed := flag.Uint64("seed", 1, "corpus seed")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the searches to this `file`")
	flag.Parse()
	o.cpuProfile = *cpuProfile
	o.stores = strings.Split(*stores, ",")
	o.seed = *seed
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench kb:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	for _, s := range o.stores {
		var res result
		var err error
		switch s {
		case "postgres":
			if o.dbURL == "" {
				return errors.New("postgres: no database URL (--db or HEARD_TEST_DATABASE_URL; make bench starts one)")
			}
			res, err = benchPostgres(ctx, o)
		case "sqlite":
			res, err = benchSQLite(ctx, o)
		default:
			err = fmt.Errorf("unknown store %q", s)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
		line, _ := json.Marshal(res)
		fmt.Println(string(line))
	}
	return nil
}

func progress(format string, a ...any) { fmt.Fprintf(os.Stderr, "bench kb: "+format+"\n", a...) }

// memSource is a slice of generated articles as a kb.Source.
type memSource struct {
	name     string
	articles []kb.Article
}

func (m memSource) Name() string { return m.name }

func (m memSource) List(ctx context.Context, _ time.Time, fn func(kb.Article) error) (bool, error) {
	for _, a := range m.articles {
		if err := fn(a); err != nil {
			return false, err
		}
	}
	return true, ctx.Err()
}

const chunksPerArticle = 5

// warmQueries are searched before measuring, untimed, to warm caches and
// connections the way other traffic would: they are not the measured
// queries.
const warmQueries = 500

// singleQueries is how many queries the single-client run measures.
const singleQueries = 500

// generate makes about n chunks' worth of articles, split into parts
// sources, and queries about them: warmQueries, then o.queries.
func generate(o options, n, parts int) ([]memSource, []string) {
	c := newCorpus(o.seed)
	articles := max(1, n/chunksPerArticle)
	srcs := make([]memSource, parts)
	for i := range srcs {
		srcs[i].name = fmt.Sprintf("bench-%d", i)
	}
	var topics []lexicon
	for i := range articles {
		a, l := c.article(i, chunksPerArticle)
		srcs[i%parts].articles = append(srcs[i%parts].articles, a)
		topics = append(topics, l)
	}
	qs := make([]string, warmQueries+o.queries)
	for i := range qs {
		qs[i] = c.query(topics[c.rng.IntN(len(topics))])
	}
	return srcs, qs
}

// load syncs the sources concurrently.
func load(ctx context.Context, k *kb.KB, srcs []memSource) (time.Duration, error) {
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(srcs))
	var mu sync.Mutex
	done := 0
	for i, s := range srcs {
		wg.Go(func() {
			_, errs[i] = k.Sync(ctx, s, kb.SyncOptions{Progress: func(p kb.Progress) {
				mu.Lock()
				done += 25
				if done%2000 == 0 {
					progress("loaded %d articles", done)
				}
				mu.Unlock()
			}})
		})
	}
	wg.Wait()
	return time.Since(start), errors.Join(errs...)
}

func newKB(st kb.Store, dim int) (*kb.KB, embed.Embedder, error) {
	h, err := embed.NewHashed(dim)
	if err != nil {
		return nil, nil, err
	}
	k, err := kb.New(kb.Config{Store: st, Embedder: h})
	return k, h, err
}

// latencies runs fn for every query with conc workers and returns the
// sorted durations in ms.
func latencies(ctx context.Context, n, conc int, fn func(ctx context.Context, i int) error) ([]float64, error) {
	out := make([]float64, n)
	errs := make([]error, conc)
	var wg sync.WaitGroup
	for w := range conc {
		wg.Go(func() {
			for i := w; i < n; i += conc {
				start := time.Now()
				if err := fn(ctx, i); err != nil {
					errs[w] = err
					return
				}
				out[i] = float64(time.Since(start).Microseconds()) / 1000
			}
		})
	}
	wg.Wait()
	slices.Sort(out)
	return out, errors.Join(errs...)
}

// measure fills r's latencies for st and k.
func measure(ctx context.Context, r *result, o options, st kb.Store, k *kb.KB, emb embed.Embedder, all []string) ([][]float32, error) {
	warm, qs := all[:warmQueries], all[warmQueries:]
	vs, err := emb.Embed(ctx, qs)
	if err != nil {
		return nil, err
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile + "." + r.Store)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	// Warm up caches and connections with other queries.
	if _, err := latencies(ctx, len(warm), o.conc, func(ctx context.Context, i int) error {
		_, err := k.Search(ctx, kb.Query{Text: warm[i], K: 10})
		return err
	}); err != nil {
		return nil, err
	}
	lat, err := latencies(ctx, len(qs), o.conc, func(ctx context.Context, i int) error {
		_, _, err := st.Candidates(ctx, kb.CandidateQuery{Vector: vs[i], VectorK: 10})
		return err
	})
	if err != nil {
		return nil, err
	}
	r.VectorP50, r.VectorP99 = kb.Percentile(lat, 50), kb.Percentile(lat, 99)
	lat, err = latencies(ctx, len(qs), o.conc, func(ctx context.Context, i int) error {
		_, err := k.Search(ctx, kb.Query{Text: qs[i], K: 10})
		return err
	})
	if err != nil {
		return nil, err
	}
	r.HybridP50, r.HybridP99 = kb.Percentile(lat, 50), kb.Percentile(lat, 99)
	single := qs[:min(len(qs), singleQueries)]
	lat, err = latencies(ctx, len(single), 1, func(ctx context.Context, i int) error {
		_, err := k.Search(ctx, kb.Query{Text: single[i], K: 10})
		return err
	})
	if err != nil {
		return nil, err
	}
	r.SingleP50, r.SingleP99 = kb.Percentile(lat, 50), kb.Percentile(lat, 99)
	r.Concurrency, r.Queries = o.conc, len(qs)
	return vs, nil
}

func benchSQLite(ctx context.Context, o options) (result, error) {
	dir, err := os.MkdirTemp("", "heard-bench-kb-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	st, err := kbsqlite.Open(ctx, filepath.Join(dir, "kb.db"))
	if err != nil {
		return result{}, err
	}
	defer st.Close()
	k, emb, err := newKB(st, 0)
	if err != nil {
		return result{}, err
	}
	srcs, qs := generate(o, o.sqliteN, 1)
	progress("sqlite: loading %d articles", len(srcs[0].articles))
	took, err := load(ctx, k, srcs)
	if err != nil {
		return result{}, err
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		return result{}, err
	}
	r := result{Store: "sqlite", Chunks: stats.Chunks, Articles: stats.Articles, Dim: stats.Dim, LoadSec: round(took.Seconds())}
	progress("sqlite: %d chunks loaded in %s; searching", stats.Chunks, took.Round(time.Millisecond))
	if _, err := measure(ctx, &r, o, st, k, emb, qs); err != nil {
		return result{}, err
	}
	return r, nil
}

func benchPostgres(ctx context.Context, o options) (result, error) {
	st, err := kbpostgres.Open(ctx, o.dbURL, kbpostgres.Options{Temporary: true, DeferIndex: true, EFSearch: o.efSearch,
		M: o.m, EFConstruction: o.efConstruction, MaxConns: int32(o.pool), MaintenanceWorkMem: "1GB"}) //nolint:gosec // a small flag value
	if err != nil {
		return result{}, err
	}
	defer st.Close()
	k, emb, err := newKB(st, 0)
	if err != nil {
		return result{}, err
	}
	srcs, qs := generate(o, o.pgN, 4)
	progress("postgres: loading %d articles", o.pgN/chunksPerArticle)
	took, err := load(ctx, k, srcs)
	if err != nil {
		return result{}, err
	}
	progress("postgres: loaded in %s; building the HNSW index", took.Round(time.Millisecond))
	start := time.Now()
	if err := st.BuildIndex(ctx); err != nil {
		return result{}, err
	}
	built := time.Since(start)
	if _, err := st.Pool().Exec(ctx, `ANALYZE kb_chunks`); err != nil {
		return result{}, err
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		return result{}, err
	}
	r := result{Store: "postgres", Chunks: stats.Chunks, Articles: stats.Articles, Dim: stats.Dim, LoadSec: round(took.Seconds()),
		IndexSec: round(built.Seconds()), EFSearch: o.efSearch, M: o.m, EFConstr: o.efConstruction, Pool: o.pool}
	progress("postgres: index built in %s; searching", built.Round(time.Millisecond))
	vs, err := measure(ctx, &r, o, st, k, emb, qs)
	if err != nil {
		return result{}, err
	}
	progress("postgres: measuring recall against exact search")
	r.RecallAt10, err = recall(ctx, st, vs)
	if err != nil {
		return result{}, err
	}
	return r, nil
}

type chunkKey struct {
	article string
	idx     int
}

// recall compares HNSW's top 10 with the exact top 10 computed here over
// the vectors read back from the table.
func recall(ctx context.Context, st *kbpostgres.Store, qs [][]float32) (float64, error) {
	rows, err := st.Pool().Query(ctx, `SELECT article_id, idx, embedding FROM kb_chunks`)
	if err != nil {
		return 0, err
	}
	var keys []chunkKey
	var vecs [][]float32
	for rows.Next() {
		var k chunkKey
		var v pgvector.Vector
		if err := rows.Scan(&k.article, &k.idx, &v); err != nil {
			rows.Close()
			return 0, err
		}
		keys = append(keys, k)
		vecs = append(vecs, v.Slice())
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := min(len(qs), 500)
	var sum float64
	for i := range n {
		exact := exactTop(qs[i], vecs, 10)
		want := map[chunkKey]bool{}
		for _, j := range exact {
			want[keys[j]] = true
		}
		hits, _, err := st.Candidates(ctx, kb.CandidateQuery{Vector: qs[i], VectorK: 10})
		if err != nil {
			return 0, err
		}
		found := 0
		for _, h := range hits {
			if want[chunkKey{h.ArticleID, h.Chunk}] {
				found++
			}
		}
		sum += float64(found) / float64(len(exact))
	}
	return round(sum / float64(n)), nil
}

func exactTop(q []float32, vecs [][]float32, k int) []int {
	type scored struct {
		i int
		s float32
	}
	top := make([]scored, 0, k+1)
	for i, v := range vecs {
		s := embed.Dot(q, v)
		if len(top) == k && s <= top[k-1].s {
			continue
		}
		top = append(top, scored{i, s})
		slices.SortFunc(top, func(a, b scored) int {
			if a.s > b.s {
				return -1
			}
			if a.s < b.s {
				return 1
			}
			return 0
		})
		if len(top) > k {
			top = top[:k]
		}
	}
	out := make([]int, len(top))
	for i, t := range top {
		out[i] = t.i
	}
	return out
}

func round(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }
