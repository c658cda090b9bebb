package sdk

import (
	"net/url"
	"strings"
)

// redactedMark replaces a credential in a URL RedactURL returns.
const redactedMark = "xxxxx"

// secretQueryKeys are query parameters whose values RedactURL masks
// (compared case-insensitively), e.g. a PostgreSQL URL's ?password=.
var secretQueryKeys = []string{
	"password", "passwd", "pwd", "sslpassword", "secret", "client_secret",
	"token", "access_token", "api_key", "apikey", "key", "sig", "signature",
}

// RedactURL returns raw with its credentials masked, for error messages
// and logs: the password of a user:password@ part becomes "xxxxx" (a
// user name alone, which may be a token, is masked whole) and so do the
// values of query parameters such as password, token and api_key. A
// string that does not parse as a URL is returned with anything between
// "://" and the last "@" of the authority masked. Strings without
// credentials come back unchanged.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return redactAuthority(raw)
	}
	changed := false
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), redactedMark)
		} else {
			u.User = url.User(redactedMark)
		}
		changed = true
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if isSecretQueryKey(k) {
				q[k] = []string{redactedMark}
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	if !changed {
		return raw
	}
	return u.String()
}

func isSecretQueryKey(k string) bool {
	for _, s := range secretQueryKeys {
		if strings.EqualFold(k, s) {
			return true
		}
	}
	return false
}

// redactAuthority masks user info in a string url.Parse rejected, e.g.
// "postgres://u:p@host:port-typo/db".
func redactAuthority(raw string) string {
	start := strings.Index(raw, "://")
	if start < 0 {
		start = 0
	} else {
		start += len("://")
	}
	rest := raw[start:]
	end := len(rest)
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		end = i
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	return raw[:start] + redactedMark + rest[at:]
}
