package zendesk

import (
	"context"
	"errors"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/heardhq/heard/connectors/zendesk/zendeskapi"
	"github.com/heardhq/heard/sdk"
)

// peopleTTL is how long a fetched user or organization is reused across
// tickets. Events of one ticket, and tickets of one customer, come in
// bursts: reusing the requester for a minute saves one or two API calls
// per event (vendor rate limits count every call) at the cost of customer
// attributes changed in Zendesk taking up to a minute to show.
const peopleTTL = time.Minute

// peopleSize bounds how many users and organizations are kept.
const peopleSize = 4096

// people keeps recently fetched users and organizations of one connector.
// Only records that exist are kept: a missing one is asked for again.
type people struct {
	ttl   time.Duration
	now   func() time.Time
	users *lru.Cache[int64, seen[*zendeskapi.User]]
	orgs  *lru.Cache[int64, seen[*zendeskapi.Organization]]
}

// seen is a record and when it was fetched.
type seen[T any] struct {
	v  T
	at time.Time
}

func newPeople(ttl time.Duration, now func() time.Time) *people {
	users, _ := lru.New[int64, seen[*zendeskapi.User]](peopleSize) // only a size <= 0 fails
	orgs, _ := lru.New[int64, seen[*zendeskapi.Organization]](peopleSize)
	return &people{ttl: ttl, now: now, users: users, orgs: orgs}
}

// fresh returns the record kept for id unless it is older than ttl.
func fresh[T any](c *lru.Cache[int64, seen[T]], id int64, ttl time.Duration, now time.Time) (T, bool) {
	s, ok := c.Get(id)
	if !ok || now.Sub(s.at) >= ttl || now.Before(s.at) {
		var zero T
		return zero, false
	}
	return s.v, true
}

// user returns user id, fetched or recently seen; a user that no longer
// exists is nil, not an error.
func (p *people) user(ctx context.Context, api *zendeskapi.Client, id int64) (*zendeskapi.User, error) {
	if u, ok := fresh(p.users, id, p.ttl, p.now()); ok {
		return u, nil
	}
	at := p.now()
	u, err := api.User(ctx, id)
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.users.Add(id, seen[*zendeskapi.User]{u, at})
	return u, nil
}

// org returns organization id, fetched or recently seen; it passes on
// sdk.ErrNotFound for one that does not exist.
func (p *people) org(ctx context.Context, api *zendeskapi.Client, id int64) (*zendeskapi.Organization, error) {
	if o, ok := fresh(p.orgs, id, p.ttl, p.now()); ok {
		return o, nil
	}
	at := p.now()
	o, err := api.Organization(ctx, id)
	if err != nil {
		return nil, err
	}
	p.orgs.Add(id, seen[*zendeskapi.Organization]{o, at})
	return o, nil
}
