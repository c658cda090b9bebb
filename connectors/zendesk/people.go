package zendesk

import (
	"context"
	"errors"
	"time"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/connectors/zendesk/zendeskapi"
	"github.com/heardhq/heard/sdk"
)

// people keeps the users and organizations one connector read in the last
// vendorapi.RecentTTL. Only records that exist are kept: a missing one is
// asked for again.
type people struct {
	users *vendorapi.Recent[int64, *zendeskapi.User]
	orgs  *vendorapi.Recent[int64, *zendeskapi.Organization]
}

func newPeople(ttl time.Duration, now func() time.Time) *people {
	return &people{
		users: vendorapi.NewRecent[int64, *zendeskapi.User](ttl, now),
		orgs:  vendorapi.NewRecent[int64, *zendeskapi.Organization](ttl, now),
	}
}

// user returns user id, read now or recently; a user that no longer exists
// is nil, not an error.
func (p *people) user(ctx context.Context, api *zendeskapi.Client, id int64) (*zendeskapi.User, error) {
	u, err := p.users.Read(id, func() (*zendeskapi.User, error) { return api.User(ctx, id) })
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// org returns organization id, read now or recently; it passes on
// sdk.ErrNotFound for one that does not exist.
func (p *people) org(ctx context.Context, api *zendeskapi.Client, id int64) (*zendeskapi.Organization, error) {
	return p.orgs.Read(id, func() (*zendeskapi.Organization, error) { return api.Organization(ctx, id) })
}
