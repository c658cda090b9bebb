// Package console is heard's admin console: server-rendered HTML pages on
// the admin listener that show what heard did to each ticket and why
// (overview, tickets, one ticket's decision trace, audit log), how often
// agents agree per field, and the settings it changes without a restart:
// gate thresholds and connector modes, kept in the overlay
// (internal/overlay) and applied by its listeners.
//
// Every page needs a signed-in session: an admin token, a username with a
// bcrypt password hash, or a user named by a trusted authenticating proxy.
// Sessions are random IDs in HttpOnly, SameSite=Strict cookies (Secure
// over TLS); every POST carries the session's CSRF token and passes Go's
// cross-origin protection. Every change is written to the store's audit
// log. Ticket text never appears in URLs or logs.
//
// It is not a public API.
package console
