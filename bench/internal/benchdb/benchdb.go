package benchdb

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/heardhq/heard/sdk"
)

// Fresh creates a new database named prefix_<nanoseconds> on the server at
// serverURL and returns its URL. Errors show the URL with its password
// masked.
func Fresh(ctx context.Context, serverURL, prefix string) (string, error) {
	c, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", fmt.Errorf("connecting to %s: %w", sdk.RedactURL(serverURL), err)
	}
	defer c.Close(ctx)
	name := fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano())
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("creating bench database: %w", err)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", fmt.Errorf("parsing the server URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}
