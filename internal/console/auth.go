package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Cookie names.
const (
	sessionCookie = "heard_session"
	loginCookie   = "heard_login" // the login form's CSRF token, before a session exists
)

// TokenUser is the user a token sign-in is recorded as.
const TokenUser = "admin"

// session is one signed-in user.
type session struct {
	id      string
	user    string
	csrf    string
	expires time.Time
}

// sessions keeps sessions in memory: a restart signs everyone out.
type sessions struct {
	mu  sync.Mutex
	ttl time.Duration
	now func() time.Time
	m   map[string]*session
}

func newSessions(ttl time.Duration, now func() time.Time) *sessions {
	return &sessions{ttl: ttl, now: now, m: map[string]*session{}}
}

// randomToken is 32 random bytes, base64url.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *sessions) create(user string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for id, x := range s.m { // drop expired ones while here
		if now.After(x.expires) {
			delete(s.m, id)
		}
	}
	x := &session{id: randomToken(), user: user, csrf: randomToken(), expires: now.Add(s.ttl)}
	s.m[x.id] = x
	return x
}

func (s *sessions) get(id string) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.m[id]
	if !ok {
		return nil, false
	}
	if s.now().After(x.expires) {
		delete(s.m, id)
		return nil, false
	}
	return x, true
}

func (s *sessions) delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

// equal compares secrets in constant time.
func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// checkPassword reports whether user and password match the configured
// username and bcrypt hash. bcrypt runs even for a wrong user, so the
// time taken does not tell whether the user exists.
func (s *Server) checkPassword(user, password string) bool {
	if s.cfg.Auth.Username == "" {
		return false
	}
	okPass := bcrypt.CompareHashAndPassword([]byte(s.cfg.Auth.PasswordHash.Reveal()), []byte(password)) == nil
	return equal(user, s.cfg.Auth.Username) && okPass
}

// proxyUser returns the user a trusted proxy named in the configured
// header; "" when the request did not come from a proxy address or has no
// such header.
func (s *Server) proxyUser(r *http.Request) string {
	if s.cfg.Auth.ProxyHeader == "" {
		return ""
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return ""
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return ""
	}
	ip = ip.Unmap()
	for _, p := range s.proxies {
		if p.Contains(ip) {
			return r.Header.Get(s.cfg.Auth.ProxyHeader)
		}
	}
	return ""
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{ //nolint:gosec // HttpOnly and SameSite=Strict always; Secure whenever served over TLS (plain HTTP on loopback cannot keep a Secure cookie)
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.cfg.TLS,
	})
}
