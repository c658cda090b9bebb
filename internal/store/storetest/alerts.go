package storetest

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heardhq/heard/internal/store"
	"github.com/heardhq/heard/sdk"
)

func runAlerts(t *testing.T, open Opener) {
	t.Run("alerts_created_tickets", func(t *testing.T) { testCreatedTickets(t, open(t)) })
	t.Run("alerts_once_and_deliveries", func(t *testing.T) { testAlertsOnce(t, open(t)) })
	t.Run("alerts_add_and_claim_concurrently", func(t *testing.T) { testAlertsConcurrent(t, open(t)) })
}

// testCreatedTickets: one row per new ticket with its requester, from the
// earliest created record; tickets first created before since are not new.
func testCreatedTickets(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	rec := func(key, ticket, requester string, kind sdk.EventKind, at time.Time) {
		t.Helper()
		if _, err := s.SaveRecord(ctx, store.Record{EventKey: key, Connector: "acme", Kind: kind, TicketID: ticket, Status: "processed",
			Requester: requester, Attempt: 1, ProcessedAt: at}); err != nil {
			t.Fatalf("SaveRecord %s: %v", key, err)
		}
	}
	rec("e1", "1", "ann", sdk.EventTicketCreated, t0.Add(time.Hour))
	rec("e1b", "1", "ann", sdk.EventTicketCreated, t0.Add(2*time.Hour)) // a second created event of ticket 1
	rec("e2", "2", "ann", sdk.EventTicketCreated, t0.Add(30*time.Minute+500*time.Millisecond))
	rec("e3", "3", "bob", sdk.EventTicketUpdated, t0.Add(time.Hour)) // not a creation
	rec("e4", "4", "", sdk.EventTicketCreated, t0.Add(time.Hour))    // no requester
	rec("e5", "5", "cy", sdk.EventTicketCreated, t0.Add(-time.Hour)) // created before since ...
	rec("e5b", "5", "cy", sdk.EventTicketCreated, t0.Add(time.Hour)) // ... redelivered after it
	rec("e6", "6", "dee", sdk.EventTicketCreated, t0.Add(-400*time.Millisecond))
	got, err := s.CreatedTickets(ctx, t0)
	if err != nil {
		t.Fatalf("CreatedTickets: %v", err)
	}
	want := []store.CreatedTicket{
		{Connector: "acme", TicketID: "2", Requester: "ann", At: t0.Add(30*time.Minute + 500*time.Millisecond)},
		{Connector: "acme", TicketID: "1", Requester: "ann", At: t0.Add(time.Hour)},
	}
	if len(got) != len(want) {
		t.Fatalf("CreatedTickets = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].TicketID != want[i].TicketID || got[i].Requester != want[i].Requester || !got[i].At.Equal(want[i].At) {
			t.Errorf("CreatedTickets[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// testAlertsOnce: a key is stored once with its deliveries; claims, a
// failed and a successful delivery, and the listing filters.
func testAlertsOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a := store.Alert{Key: "csat:acme:2026-12-01", Rule: "csat", Subject: "acme", Period: "2026-12-01", Message: "CSAT 3.2", FiredAt: t0}
	if _, err := s.AddAlert(ctx, store.Alert{Key: "x"}, nil); !errors.Is(err, sdk.ErrInvalid) {
		t.Errorf("AddAlert of an invalid alert = %v, want sdk.ErrInvalid", err)
	}
	if ok, err := s.AddAlert(ctx, a, []string{"slack", "ops"}); err != nil || !ok {
		t.Fatalf("AddAlert = %v, %v; want stored", ok, err)
	}
	b := a
	b.Message, b.FiredAt = "CSAT 3.0", t0.Add(time.Hour)
	if ok, err := s.AddAlert(ctx, b, []string{"slack", "ops", "new"}); err != nil || ok {
		t.Fatalf("AddAlert of the same key = %v, %v; want not stored", ok, err)
	}
	other := store.Alert{Key: "nps:acme/9:r1", Rule: "nps_detractor", Subject: "acme/9", Message: "NPS 3", FiredAt: t0.Add(2 * time.Hour)}
	if ok, err := s.AddAlert(ctx, other, []string{"slack"}); err != nil || !ok {
		t.Fatalf("AddAlert other = %v, %v; want stored", ok, err)
	}

	now := t0.Add(3 * time.Hour)
	if ok, err := s.ClaimAlertDelivery(ctx, a.Key, "slack", now, time.Minute); err != nil || !ok {
		t.Fatalf("ClaimAlertDelivery = %v, %v; want claimed", ok, err)
	}
	if ok, err := s.ClaimAlertDelivery(ctx, a.Key, "slack", now.Add(30*time.Second), time.Minute); err != nil || ok {
		t.Fatalf("ClaimAlertDelivery within the lease = %v, %v; want refused", ok, err)
	}
	if ok, err := s.ClaimAlertDelivery(ctx, a.Key, "new", now, time.Minute); err != nil || ok {
		t.Fatalf("ClaimAlertDelivery of a webhook added later = %v, %v; want refused (no such delivery)", ok, err)
	}
	if err := s.FinishAlertDelivery(ctx, a.Key, "slack", now, "status 500"); err != nil {
		t.Fatalf("FinishAlertDelivery failed: %v", err)
	}
	if ok, err := s.ClaimAlertDelivery(ctx, a.Key, "slack", now.Add(2*time.Minute), time.Minute); err != nil || !ok {
		t.Fatalf("ClaimAlertDelivery after the lease = %v, %v; want claimed", ok, err)
	}
	if err := s.FinishAlertDelivery(ctx, a.Key, "slack", now.Add(2*time.Minute), ""); err != nil {
		t.Fatalf("FinishAlertDelivery ok: %v", err)
	}
	if ok, err := s.ClaimAlertDelivery(ctx, a.Key, "slack", now.Add(time.Hour), time.Minute); err != nil || ok {
		t.Fatalf("ClaimAlertDelivery of a delivered alert = %v, %v; want refused", ok, err)
	}
	for _, k := range []string{a.Key, other.Key} {
		w := "ops"
		if k == other.Key {
			w = "slack"
		}
		if ok, err := s.ClaimAlertDelivery(ctx, k, w, now, time.Minute); err != nil || !ok {
			t.Fatalf("ClaimAlertDelivery %s %s = %v, %v; want claimed", k, w, ok, err)
		}
	}
	if err := s.FinishAlertDelivery(ctx, other.Key, "slack", now, ""); err != nil {
		t.Fatal(err)
	}

	all, err := s.ListAlerts(ctx, store.AlertFilter{})
	if err != nil {
		t.Fatalf("ListAlerts: %v", err)
	}
	if len(all) != 2 || all[0].Key != other.Key || all[1].Key != a.Key {
		t.Fatalf("ListAlerts = %+v, want %s then %s", all, other.Key, a.Key)
	}
	got := all[1]
	if got.Message != "CSAT 3.2" || !got.FiredAt.Equal(t0) || got.Rule != "csat" || got.Period != "2026-12-01" {
		t.Errorf("stored alert = %+v, want the first one kept", got)
	}
	if len(got.Deliveries) != 2 {
		t.Fatalf("deliveries = %+v, want ops and slack", got.Deliveries)
	}
	ops, slack := got.Deliveries[0], got.Deliveries[1]
	if ops.Webhook != "ops" || ops.Attempts != 1 || !ops.DeliveredAt.IsZero() || !ops.TriedAt.Equal(now) {
		t.Errorf("ops delivery = %+v, want 1 attempt at %s, pending", ops, now)
	}
	if slack.Webhook != "slack" || slack.Attempts != 2 || !slack.DeliveredAt.Equal(now.Add(2*time.Minute)) || slack.LastError != "" {
		t.Errorf("slack delivery = %+v, want 2 attempts, delivered, error cleared", slack)
	}
	if got.Delivered() || !all[0].Delivered() {
		t.Errorf("Delivered() = %v, %v; want false for the pending one, true for the other", got.Delivered(), all[0].Delivered())
	}
	pending, err := s.ListAlerts(ctx, store.AlertFilter{Pending: true})
	if err != nil || len(pending) != 1 || pending[0].Key != a.Key {
		t.Errorf("ListAlerts pending = %+v, %v; want only %s", pending, err, a.Key)
	}
	recent, err := s.ListAlerts(ctx, store.AlertFilter{Since: t0.Add(time.Hour)})
	if err != nil || len(recent) != 1 || recent[0].Key != other.Key {
		t.Errorf("ListAlerts since = %+v, %v; want only %s", recent, err, other.Key)
	}
	if one, err := s.ListAlerts(ctx, store.AlertFilter{Limit: 1}); err != nil || len(one) != 1 {
		t.Errorf("ListAlerts limit 1 = %d alerts, %v", len(one), err)
	}
}

// testAlertsConcurrent: of concurrent adds of one key exactly one stores
// it, and of concurrent claims of one delivery exactly one gets it.
func testAlertsConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	const n = 8
	var stored, claimed atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for range n {
		wg.Go(func() {
			ok, err := s.AddAlert(ctx, store.Alert{Key: "k", Rule: "r", Subject: "s", FiredAt: now}, []string{"w"})
			if err != nil {
				errs <- err
			}
			if ok {
				stored.Add(1)
			}
		})
	}
	wg.Wait()
	for range n {
		wg.Go(func() {
			ok, err := s.ClaimAlertDelivery(ctx, "k", "w", now, time.Minute)
			if err != nil {
				errs <- err
			}
			if ok {
				claimed.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent: %v", err)
	}
	if stored.Load() != 1 || claimed.Load() != 1 {
		t.Errorf("stored %d times, claimed %d times; want 1 and 1", stored.Load(), claimed.Load())
	}
}
