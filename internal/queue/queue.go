package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/heardhq/heard/sdk"
)

// Job is one event to process.
type Job struct {
	// Key is the idempotency key, "<connector>:<event id>"; two jobs with
	// the same key are never enqueued together.
	Key       string    `json:"key" river:"unique"`
	Connector string    `json:"connector"`
	Event     sdk.Event `json:"event"`
}

// Kind is River's job kind for heard events.
func (Job) Kind() string { return "heard.event" }

// NewJob builds the job for an event received by a connector.
func NewJob(connector string, ev sdk.Event) Job {
	return Job{Key: connector + ":" + ev.ID, Connector: connector, Event: ev}
}

// Attempt carries what the handler may want to know about this try.
type Attempt struct {
	Number      int // 1 for the first try
	MaxAttempts int
}

// Handler processes one job. Returning an error schedules a retry; after
// the last attempt the job is dead-lettered with its payload kept. Handlers
// must be idempotent: a job can run again after a crash.
type Handler interface {
	Handle(ctx context.Context, job Job, at Attempt) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, job Job, at Attempt) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, job Job, at Attempt) error { return f(ctx, job, at) }

// Config tunes the queue. Zero values take the defaults in comments.
type Config struct {
	Workers      int           // concurrent jobs per process, default 128
	MaxAttempts  int           // tries before dead-lettering, default 24
	RetryBase    time.Duration // first retry delay, doubled each attempt, default 1s
	RetryMax     time.Duration // cap on the retry delay, default 10m
	JobTimeout   time.Duration // per-job deadline, default 2m
	PollInterval time.Duration // how often idle workers look for jobs, default 1s (PostgreSQL also gets notifications)
	// DedupeWindow is how long a finished job's key keeps blocking a
	// redelivery of the same event, default 7 days.
	DedupeWindow time.Duration
	// Flushers is how many insert transactions may run at once; concurrent
	// Enqueue calls are merged into them. Default 1.
	Flushers int
	// MaxBatch caps the jobs per insert transaction, default 256.
	MaxBatch int
	// ClientID names this process's workers in the job table; default
	// host-pid-random.
	ClientID string
	// Liveness, when set, rescues jobs left in the running state by a
	// crashed process or by a worker that lost the database; see Liveness.
	Liveness Liveness
	// OrphanAfter is how long a job may go without its lease being renewed
	// before it is requeued, default 30s. Heartbeats renew the leases every
	// sixth of it; a worker whose heartbeats have not got through for half
	// of it cancels its jobs.
	OrphanAfter time.Duration
	// FetchCooldown is the least time between two fetches of available
	// jobs, default 20ms. A fetch takes at most as many jobs as there are
	// idle workers, so Workers/FetchCooldown caps the drain rate.
	FetchCooldown time.Duration
	// Periodic are tasks run on a schedule by one replica at a time (the
	// queue's elected leader inserts them), e.g. the knowledge-base sync.
	Periodic []Periodic
}

// Periodic is a scheduled task. Run must be idempotent; a failure is
// retried like any job.
type Periodic struct {
	Name  string // unique, e.g. "kb.sync"
	Every time.Duration
	Run   func(ctx context.Context) error
}

// periodicArgs is the job of one Periodic run.
type periodicArgs struct {
	Name string `json:"name" river:"unique"`
}

func (periodicArgs) Kind() string { return "heard.periodic" }

// periodicWorker runs Periodic tasks by name.
type periodicWorker struct {
	river.WorkerDefaults[periodicArgs]
	tasks  map[string]Periodic
	leases *leases
}

func (w *periodicWorker) Work(ctx context.Context, j *river.Job[periodicArgs]) error {
	t, ok := w.tasks[j.Args.Name]
	if !ok {
		return river.JobCancel(fmt.Errorf("no periodic task %q in this process", j.Args.Name))
	}
	return w.leases.work(ctx, j.ID, t.Run)
}

// Liveness is the store-specific half of job rescue. A job left "running"
// with nobody working it (its process was killed, or its worker lost the
// database and River could not record the outcome) would be rescued by River
// only after an hour. Instead every process holds a lease on the jobs it
// works: its heartbeat names them, and a running job that no client with a
// fresh heartbeat holds goes back to the queue. A worker whose heartbeat
// stops getting through cancels its jobs well before their leases can
// expire, so a rescued job never runs twice at once.
type Liveness interface {
	// Beat records that clientID is alive now and holds exactly the
	// running jobs in held.
	Beat(ctx context.Context, clientID string, held []int64) error
	// Requeue makes available again every running job that no live client
	// holds, and returns how many it moved. A client is live when it beat
	// within silence; self (the caller, holding held) always is. Jobs
	// fetched within silence are left alone: their worker may not have
	// beaten since.
	Requeue(ctx context.Context, self string, held []int64, silence time.Duration) (int64, error)
	// Forget drops clientID's heartbeat after a clean stop.
	Forget(ctx context.Context, clientID string) error
}

func (c *Config) setDefaults() {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt(&c.Workers, 128)
	defInt(&c.MaxAttempts, 24)
	defInt(&c.Flushers, 1)
	defInt(&c.MaxBatch, 256)
	def(&c.RetryBase, time.Second)
	def(&c.RetryMax, 10*time.Minute)
	def(&c.JobTimeout, 2*time.Minute)
	def(&c.PollInterval, time.Second)
	def(&c.DedupeWindow, 7*24*time.Hour)
	def(&c.OrphanAfter, 30*time.Second)
	def(&c.FetchCooldown, 20*time.Millisecond)
	c.FetchCooldown = min(c.FetchCooldown, c.PollInterval)
	if c.ClientID == "" {
		host, _ := os.Hostname()
		c.ClientID = fmt.Sprintf("%s-%d-%06x", host, os.Getpid(), rand.IntN(1<<24)) //nolint:gosec // uniqueness, not secrecy
	}
}

// Result says what Enqueue did with one job.
type Result int

// Enqueue outcomes.
const (
	Enqueued  Result = iota // stored; a worker will run it
	Duplicate               // a job with the same key exists (or existed within the dedupe window)
)

// DeadJob is a job that used up its attempts, with the payload it carried.
type DeadJob struct {
	ID       int64
	Job      Job
	Attempts int
	Errors   []string
	At       time.Time
}

// Queue is a durable queue on one database. It is safe for concurrent use.
type Queue interface {
	// Enqueue stores jobs durably; when it returns without error every
	// job is either Enqueued or a Duplicate.
	Enqueue(ctx context.Context, jobs []Job) ([]Result, error)
	// Start begins working jobs with h until Stop.
	Start(ctx context.Context, h Handler) error
	// Stop stops fetching new jobs and waits for running ones until ctx
	// ends, then cancels them (they are retried later).
	Stop(ctx context.Context) error
	// Running reports whether workers are working.
	Running() bool
	// Dead lists dead-lettered jobs, newest first.
	Dead(ctx context.Context, limit int) ([]DeadJob, error)
	// Retry moves a dead job back to the queue.
	Retry(ctx context.Context, id int64) error
	// Close stops accepting jobs. Call it after Stop.
	Close()
}

// Migrate creates or upgrades River's tables through driver.
func Migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fmt.Errorf("preparing queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrating queue tables: %w", err)
	}
	return nil
}

type riverQueue[TTx any] struct {
	cfg     Config
	log     *slog.Logger
	client  *river.Client[TTx]
	worker  *worker
	batch   *batcher
	leases  *leases
	running atomic.Bool
	stopHB  context.CancelFunc
	hbDone  chan struct{}
}

// New builds a queue on a River driver. No job runs until Start.
func New[TTx any](driver riverdriver.Driver[TTx], cfg Config, log *slog.Logger) (Queue, error) {
	cfg.setDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ls := newLeases()
	w := &worker{leases: ls}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, fmt.Errorf("registering queue worker: %w", err)
	}
	pw := &periodicWorker{tasks: map[string]Periodic{}, leases: ls}
	if err := river.AddWorkerSafely(workers, pw); err != nil {
		return nil, fmt.Errorf("registering periodic worker: %w", err)
	}
	var periodic []*river.PeriodicJob
	for _, t := range cfg.Periodic {
		if t.Name == "" || t.Every <= 0 || t.Run == nil {
			return nil, fmt.Errorf("periodic task %q: needs a name, an interval and a function: %w", t.Name, sdk.ErrInvalid)
		}
		pw.tasks[t.Name] = t
		name := t.Name
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(t.Every),
			func() (river.JobArgs, *river.InsertOpts) {
				return periodicArgs{Name: name}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
					rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
			}, &river.PeriodicJobOpts{ID: name, RunOnStart: true}))
	}
	rc := &river.Config{
		ID:                cfg.ClientID,
		Logger:            log.With("component", "river"),
		Workers:           workers,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		MaxAttempts:       cfg.MaxAttempts,
		JobTimeout:        cfg.JobTimeout,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     cfg.FetchCooldown,
		// heard's leases rescue stranded jobs within OrphanAfter; River's own
		// rescuer is only a backstop, for a handler that ignores its
		// deadline.
		RescueStuckJobsAfter:        cfg.JobTimeout + cfg.OrphanAfter,
		CompletedJobRetentionPeriod: cfg.DedupeWindow,
		DiscardedJobRetentionPeriod: -1, // dead letters stay until an admin retries or removes them
		CancelledJobRetentionPeriod: -1, // permanent failures are dead letters too
		RetryPolicy:                 backoff{base: cfg.RetryBase, max: cfg.RetryMax},
		PeriodicJobs:                periodic,
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("creating queue client: %w", err)
	}
	q := &riverQueue[TTx]{cfg: cfg, log: log, client: client, worker: w, leases: ls}
	q.batch = newBatcher(cfg.Flushers, cfg.MaxBatch, q.insert)
	return q, nil
}

func (q *riverQueue[TTx]) Enqueue(ctx context.Context, jobs []Job) ([]Result, error) {
	return q.batch.submit(ctx, jobs)
}

// insert writes one batch in one transaction. Keys repeated inside the
// batch are resolved here, because one INSERT cannot touch a row twice.
func (q *riverQueue[TTx]) insert(ctx context.Context, jobs []Job) ([]Result, error) {
	out := make([]Result, len(jobs))
	first := make(map[string]int, len(jobs))
	params := make([]river.InsertManyParams, 0, len(jobs))
	index := make([]int, 0, len(jobs))
	for i, j := range jobs {
		if _, dup := first[j.Key]; dup {
			out[i] = Duplicate
			continue
		}
		first[j.Key] = i
		params = append(params, river.InsertManyParams{Args: j})
		index = append(index, i)
	}
	res, err := q.client.InsertMany(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("inserting %d jobs: %w", len(params), err)
	}
	for k, r := range res {
		if r.UniqueSkippedAsDuplicate {
			out[index[k]] = Duplicate
		}
	}
	return out, nil
}

// InsertOpts makes every event job unique by its key in every state but
// cancelled and discarded, so a redelivery is dropped while the first copy
// is queued, running, or finished within the dedupe window.
func (Job) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func (q *riverQueue[TTx]) Start(ctx context.Context, h Handler) error {
	if h == nil {
		return fmt.Errorf("starting queue: nil handler: %w", sdk.ErrInvalid)
	}
	q.worker.h.Store(&h)
	q.worker.log = q.log
	if lv := q.cfg.Liveness; lv != nil {
		// Beat before the first fetch, so no job is ever running under a
		// client without a heartbeat.
		if err := lv.Beat(ctx, q.cfg.ClientID, nil); err != nil {
			return fmt.Errorf("starting queue: heartbeat: %w", err)
		}
		q.requeue(ctx, nil)
		hctx, cancel := context.WithCancel(context.WithoutCancel(ctx)) //nolint:gosec // cancel is kept in q.stopHB and called by Stop
		q.stopHB, q.hbDone = cancel, make(chan struct{})
		go q.heartbeat(hctx)
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("starting queue workers: %w", err)
	}
	q.running.Store(true)
	return nil
}

func (q *riverQueue[TTx]) Stop(ctx context.Context) error {
	if !q.running.Swap(false) {
		return nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		q.log.WarnContext(ctx, "drain timed out; cancelling running jobs, they will be retried")
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		err = q.client.StopAndCancel(cctx)
	}
	if q.stopHB != nil {
		q.stopHB()
		<-q.hbDone
		if ferr := q.cfg.Liveness.Forget(ctx, q.cfg.ClientID); ferr != nil {
			q.log.WarnContext(ctx, "dropping heartbeat", "err", ferr)
		}
	}
	if err != nil {
		return fmt.Errorf("stopping queue: %w", err)
	}
	return nil
}

// heartbeat renews this process's leases every sixth of OrphanAfter and
// requeues jobs nobody holds. Each beat is bounded by the interval, so a
// database that hangs cannot stall the loop; a watchdog cancels every
// running job once no beat has got through for half of OrphanAfter, well
// before another replica may requeue them (after a whole OrphanAfter), and
// again every half OrphanAfter while beats keep failing.
func (q *riverQueue[TTx]) heartbeat(ctx context.Context) {
	defer close(q.hbDone)
	every := max(q.cfg.OrphanAfter/6, 50*time.Millisecond)
	grace := q.cfg.OrphanAfter / 2
	var watchdog atomic.Pointer[time.Timer]
	watchdog.Store(time.AfterFunc(grace, func() {
		q.loseLeases(ctx)
		watchdog.Load().Reset(grace)
	}))
	defer watchdog.Load().Stop()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// The lease runs from before the beat was sent: the store stamps
		// it no earlier than that.
		sent := time.Now()
		held := q.leases.held()
		bctx, cancel := context.WithTimeout(ctx, every)
		err := q.cfg.Liveness.Beat(bctx, q.cfg.ClientID, held)
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				q.log.WarnContext(ctx, "heartbeat failed; running jobs are cancelled if it keeps failing", "err", err,
					"cancel_in", (grace - time.Since(sent)).Round(time.Millisecond).String())
			}
			continue
		}
		watchdog.Load().Reset(grace - time.Since(sent))
		q.requeue(ctx, held)
	}
}

// loseLeases cancels every running job: the heartbeat has not renewed
// their leases for half of OrphanAfter.
func (q *riverQueue[TTx]) loseLeases(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	if n := q.leases.lose(); n > 0 {
		q.log.WarnContext(ctx, "job leases could not be renewed; cancelling running jobs so that they never run twice at once", "jobs", n)
	}
}

func (q *riverQueue[TTx]) requeue(ctx context.Context, held []int64) {
	rctx, cancel := context.WithTimeout(ctx, max(q.cfg.OrphanAfter/6, 50*time.Millisecond))
	defer cancel()
	n, err := q.cfg.Liveness.Requeue(rctx, q.cfg.ClientID, held, q.cfg.OrphanAfter)
	switch {
	case err != nil && ctx.Err() == nil:
		q.log.WarnContext(ctx, "requeueing stranded jobs", "err", err)
	case n > 0:
		q.log.InfoContext(ctx, "requeued running jobs whose lease had expired", "jobs", n)
	}
}

func (q *riverQueue[TTx]) Running() bool { return q.running.Load() }

func (q *riverQueue[TTx]) Close() { q.batch.close() }

func (q *riverQueue[TTx]) Dead(ctx context.Context, limit int) ([]DeadJob, error) {
	if limit <= 0 {
		limit = 100
	}
	params := river.NewJobListParams().States(rivertype.JobStateDiscarded, rivertype.JobStateCancelled).Kinds(Job{}.Kind()).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit)
	res, err := q.client.JobList(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("listing dead jobs: %w", err)
	}
	out := make([]DeadJob, 0, len(res.Jobs))
	for _, row := range res.Jobs {
		d := DeadJob{ID: row.ID, Attempts: row.Attempt}
		if row.FinalizedAt != nil {
			d.At = *row.FinalizedAt
		}
		if err := decodeArgs(row.EncodedArgs, &d.Job); err != nil {
			return nil, fmt.Errorf("decoding dead job %d: %w", row.ID, err)
		}
		for _, e := range row.Errors {
			d.Errors = append(d.Errors, e.Error)
		}
		out = append(out, d)
	}
	return out, nil
}

func (q *riverQueue[TTx]) Retry(ctx context.Context, id int64) error {
	if _, err := q.client.JobRetry(ctx, id); err != nil {
		if errors.Is(err, river.ErrNotFound) {
			return fmt.Errorf("retrying job %d: %w", id, sdk.ErrNotFound)
		}
		return fmt.Errorf("retrying job %d: %w", id, err)
	}
	return nil
}

// worker adapts Handler to River. The handler is set at Start because River
// needs its workers when the client is built.
type worker struct {
	river.WorkerDefaults[Job]
	h      atomic.Pointer[Handler]
	log    *slog.Logger
	leases *leases
}

func (w *worker) Work(ctx context.Context, j *river.Job[Job]) error {
	h := w.h.Load()
	if h == nil {
		return errors.New("queue worker has no handler")
	}
	err := w.leases.work(ctx, j.ID, func(ctx context.Context) error {
		return (*h).Handle(ctx, j.Args, Attempt{Number: j.Attempt, MaxAttempts: j.MaxAttempts})
	})
	var ra *sdk.RetryAfterError
	if errors.As(err, &ra) && ra.Wait > 0 {
		// The vendor said when to come back: wait exactly that long. A
		// snooze does not use up an attempt.
		w.log.InfoContext(ctx, "job snoozed as the vendor asked", "job_key", j.Args.Key, "wait", ra.Wait.String())
		return river.JobSnooze(ra.Wait)
	}
	if err != nil && !sdk.Retryable(err) {
		// Invalid input or rejected credentials will not heal by waiting:
		// dead-letter now, keeping the payload for an admin.
		w.log.WarnContext(ctx, "job failed permanently", "job_key", j.Args.Key, "attempt", j.Attempt, "err", err)
		return river.JobCancel(err)
	}
	return err
}

// backoff is exponential backoff with full jitter in [d/2, d], where
// d = base * 2^(errors), capped at max. A vendor's Retry-After (an
// sdk.RetryAfterError returned by the handler) does not come here: the
// worker snoozes the job for exactly that long instead.
type backoff struct{ base, max time.Duration }

func (b backoff) NextRetry(row *rivertype.JobRow) time.Time {
	n := len(row.Errors) // errors so far, including this one
	d := b.base
	for i := 1; i < n && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	jittered := d/2 + time.Duration(rand.Int64N(int64(d/2)+1)) //nolint:gosec // jitter, not secrecy
	return time.Now().UTC().Add(jittered)
}

// jobJSON is Job's stored form. The vendor payload is kept as a string so
// that it survives byte for byte in PostgreSQL's jsonb, which would
// otherwise reorder and respace it.
type jobJSON struct {
	Key       string    `json:"key"`
	Connector string    `json:"connector"`
	Event     sdk.Event `json:"event"`
	Payload   string    `json:"payload,omitempty"`
}

// MarshalJSON implements json.Marshaler.
func (j Job) MarshalJSON() ([]byte, error) {
	ev := j.Event
	p := string(ev.Payload)
	ev.Payload = nil
	return json.Marshal(jobJSON{Key: j.Key, Connector: j.Connector, Event: ev, Payload: p})
}

// UnmarshalJSON implements json.Unmarshaler.
func (j *Job) UnmarshalJSON(b []byte) error {
	var s jobJSON
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*j = Job{Key: s.Key, Connector: s.Connector, Event: s.Event}
	if s.Payload != "" {
		j.Event.Payload = json.RawMessage(s.Payload)
	}
	return nil
}
