package freshdesk

import (
	"context"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/connectors/freshdesk/freshdeskapi"
	"github.com/heardhq/heard/sdk"
)

// DefaultLookupTimeout bounds the API calls DecodeWebhook makes to key a
// delivery. It is well under the time Freshdesk waits for the webhook's
// answer, so a slow API costs a fallback key, never a retried delivery.
const DefaultLookupTimeout = 3 * time.Second

// identify sets ev.ID and ev.OccurredAt from what the API says the
// delivery is about; see DecodeWebhook for the keys. It reports false when
// a message event has no conversation but heard's own, i.e. the delivery
// was caused by heard's write-back and must be dropped.
func (c *Connector) identify(ev *sdk.Event) bool {
	ticket := ev.Ticket.ID
	prefix := ticket + "/" + string(ev.Kind)
	if ev.Kind == sdk.EventTicketCreated {
		ev.ID, ev.OccurredAt = prefix, c.now().UTC()
		return true
	}
	id, err := strconv.ParseInt(ticket, 10, 64)
	if err != nil { // checkTicketID let it through, so it is numeric: cannot happen
		c.fallback(ev, prefix, err)
		return true
	}
	// DecodeWebhook has no request context (sdk.Connector); the timeout is
	// what bounds the receiver's wait.
	ctx, cancel := context.WithTimeout(context.Background(), c.lookupTimeout)
	defer cancel()
	if ev.Kind != sdk.EventMessageCreated {
		ft, err := c.api.Ticket(ctx, id)
		if err != nil {
			c.fallback(ev, prefix, err)
			return true
		}
		at := ft.UpdatedAt.UTC()
		ev.ID, ev.OccurredAt = prefix+"/u"+at.Format(time.RFC3339Nano), at
		return true
	}
	if c.bot() == "" {
		// Best effort, once per process: without it heard's notes are
		// still recognised by their signature.
		if err := c.ensureBot(ctx); err != nil {
			c.log.Debug("freshdesk bot agent unknown while keying a delivery", slog.String("err", err.Error()))
		}
	}
	convs, err := c.api.Conversations(ctx, id)
	if err != nil {
		c.fallback(ev, prefix, err)
		return true
	}
	cv, ok := latestForeign(convs, c.bot())
	if !ok {
		return false
	}
	ev.ID, ev.OccurredAt = prefix+"/c"+strconv.FormatInt(cv.ID, 10), cv.CreatedAt.UTC()
	return true
}

// fallback keys ev by its arrival: unique, so it is never taken for an
// earlier delivery, and never matched by a later retry either.
func (c *Connector) fallback(ev *sdk.Event, prefix string, err error) {
	now := c.now().UTC()
	ev.ID = prefix + "/r" + strconv.FormatInt(now.UnixNano(), 10) + "." + strconv.FormatUint(c.arrivals.Add(1), 10)
	ev.OccurredAt = now
	c.log.Warn("freshdesk API lookup for a webhook failed; keying the event by its arrival (a retry of it will not be recognised)",
		slog.String("ticket", ev.Ticket.ID), slog.String("kind", string(ev.Kind)), slog.String("err", err.Error()))
}

// latestForeign returns the newest conversation heard did not write: not by
// the bot agent, and not an outgoing conversation carrying heard's note
// signature or reply marker.
func latestForeign(convs []freshdeskapi.Conversation, bot string) (freshdeskapi.Conversation, bool) {
	convs = append([]freshdeskapi.Conversation(nil), convs...)
	sort.SliceStable(convs, func(i, j int) bool {
		if !convs[i].CreatedAt.Equal(convs[j].CreatedAt) {
			return convs[i].CreatedAt.Before(convs[j].CreatedAt)
		}
		return convs[i].ID < convs[j].ID
	})
	for i := len(convs) - 1; i >= 0; i-- {
		cv := convs[i]
		if bot != "" && strconv.FormatInt(cv.UserID, 10) == bot {
			continue
		}
		if body := plain(cv.BodyText, cv.Body); !cv.Incoming && (strings.Contains(body, heardSignature) || strings.Contains(body, "[ref:")) {
			continue
		}
		return cv, true
	}
	return freshdeskapi.Conversation{}, false
}
