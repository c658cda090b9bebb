package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/heardhq/heard/sdk"
)

// DefaultAdminListen is admin.listen when the console is enabled and no
// address is given: loopback only.
const DefaultAdminListen = "127.0.0.1:8081"

// Console configures the admin console served on admin.listen. With no
// authentication configured it is served only on a loopback address.
type Console struct {
	// Enabled serves the console on admin.listen.
	Enabled bool `yaml:"enabled"`
	// Token is an admin token: whoever types it on the login page is
	// signed in as "admin". At least 16 characters.
	Token sdk.Secret `yaml:"token"`
	// Username and PasswordHash sign one user in with a password; the
	// hash is bcrypt's ("$2a$...", e.g. from htpasswd -nbB).
	Username     string     `yaml:"username"`
	PasswordHash sdk.Secret `yaml:"password_hash"`
	// ProxyHeader names a request header (e.g. X-Forwarded-User) that an
	// authenticating proxy in front sets to the signed-in user. It is
	// believed only from ProxyAddresses.
	ProxyHeader string `yaml:"proxy_header"`
	// ProxyAddresses are the proxy's IP addresses or CIDRs.
	ProxyAddresses []string `yaml:"proxy_addresses"`
	// SessionTTL is how long a sign-in lasts. Default 12h.
	SessionTTL Duration `yaml:"session_ttl"`
}

// HasAuth reports whether any authentication is configured.
func (c Console) HasAuth() bool {
	return c.Token != "" || c.Username != "" || c.ProxyHeader != ""
}

// minTokenLen is the shortest admin token accepted.
const minTokenLen = 16

func (c Console) validate(listen string) []error {
	var errs []error
	if !c.Enabled {
		return nil
	}
	if c.Token != "" && len(c.Token.Reveal()) < minTokenLen {
		errs = append(errs, fmt.Errorf("admin.console.token: want at least %d characters", minTokenLen))
	}
	if (c.Username == "") != (c.PasswordHash == "") {
		errs = append(errs, errors.New("admin.console: username and password_hash go together"))
	} else if h := c.PasswordHash.Reveal(); h != "" && (len(h) != 60 || !strings.HasPrefix(h, "$2")) {
		errs = append(errs, errors.New("admin.console.password_hash: want a bcrypt hash ($2a$... or $2b$..., 60 characters)"))
	}
	if c.ProxyHeader != "" && len(c.ProxyAddresses) == 0 {
		errs = append(errs, errors.New("admin.console.proxy_header: needs admin.console.proxy_addresses (the proxy's addresses)"))
	}
	for i, p := range c.ProxyAddresses {
		if !validProxy(p) {
			errs = append(errs, fmt.Errorf("admin.console.proxy_addresses[%d] %q: want an IP address or CIDR", i, p))
		}
	}
	if c.SessionTTL.Std() < time.Minute {
		errs = append(errs, fmt.Errorf("admin.console.session_ttl %s: want at least 1m", c.SessionTTL))
	}
	if !c.HasAuth() && !Loopback(listen) {
		errs = append(errs, fmt.Errorf("admin.console: admin.listen %q is not a loopback address; "+
			"configure admin.console.token, username and password_hash, or proxy_header, or listen on 127.0.0.1", listen))
	}
	return errs
}

// Loopback reports whether the host:port addr listens on loopback only
// (127.0.0.0/8, ::1 or "localhost"); an empty host means every interface.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
