package intercom

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/heardhq/heard/connectors/vendorapi"
	"github.com/heardhq/heard/sdk"
)

// Defaults for settings left empty.
const (
	// DefaultBaseURL is Intercom's US region; the EU and Australian regions
	// are https://api.eu.intercom.io and https://api.au.intercom.io.
	DefaultBaseURL = "https://api.intercom.io"
	// DefaultAPIVersion is the Intercom-Version heard is written and tested
	// against.
	DefaultAPIVersion = "2.15"
	// PreviewAPIVersion is the Intercom-Version of Intercom's Preview API,
	// the only one whose description lets priority be written.
	PreviewAPIVersion = "Unstable"
	// DefaultRatePerMinute is Intercom's default limit of 10,000 calls per
	// minute per app (CONTRACTS.md §3.8; 25,000 per workspace), enforced
	// in 10-second windows. Connectors sharing one app share it.
	DefaultRatePerMinute = 10000
)

// Config is the vendor-specific part of a configured Intercom connector.
type Config struct {
	// Workspace names the Intercom workspace. Required. It becomes
	// TicketRef.Account.
	Workspace string `yaml:"workspace" json:"workspace"`
	// AppID is the workspace's id (app_id in notifications, the part after
	// /apps/ in Intercom URLs). When set, notifications from other
	// workspaces the same app is installed in are dropped. Optional.
	AppID string `yaml:"app_id" json:"app_id"`
	// AccessToken is the app's access token, sent as a Bearer token.
	// Required.
	AccessToken sdk.Secret `yaml:"access_token" json:"access_token"`
	// ClientSecret is the app's client secret (Developer Hub, Basic
	// information): the key of X-Hub-Signature. Required.
	ClientSecret sdk.Secret `yaml:"client_secret" json:"client_secret"`
	// BaseURL is the API's root; default DefaultBaseURL.
	BaseURL string `yaml:"base_url" json:"base_url"`
	// APIVersion is sent as Intercom-Version; default DefaultAPIVersion.
	APIVersion string `yaml:"api_version" json:"api_version"`
	// CustomAttributes maps customer attributes (sdk.AttrPlan, ...) to the
	// custom attribute holding them: "company.<name>" on the requester's
	// company, "contact.<name>" on the contact, or a bare "<name>" looked up
	// on the company first and then on the contact. Unmapped and empty
	// attributes stay unknown.
	CustomAttributes map[string]string `yaml:"custom_attributes" json:"custom_attributes"`
	// ConversationAttributes maps heard fields (Changes.Fields keys, e.g.
	// "product_area") to conversation custom attributes, which must exist
	// in the workspace. Fields not mapped here are not written.
	ConversationAttributes map[string]string `yaml:"conversation_attributes" json:"conversation_attributes"`
	// RateLimit tunes the outbound client; RatePerMinute defaults to
	// DefaultRatePerMinute.
	RateLimit vendorapi.Config `yaml:"rate_limit" json:"rate_limit"`
	// AdminID is the admin heard writes notes and tags as. Empty: the
	// admin the access token belongs to (GET /me, asked once). Set it so
	// heard's own changes are recognized from the first notification on.
	AdminID string `yaml:"admin_id" json:"admin_id"`
	// WritePriority writes priority as a conversation field instead of the
	// heard-priority-pN tag. Only with api_version Unstable (Preview):
	// 2.15 and 2.16 cannot write priority.
	WritePriority bool `yaml:"write_priority" json:"write_priority"`
}

var (
	workspaceRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	appIDRE     = regexp.MustCompile(`^[a-z0-9]{1,64}$`)
	adminIDRE   = regexp.MustCompile(`^[1-9][0-9]{0,19}$`)
	versionRE   = regexp.MustCompile(`^2\.[0-9]{1,2}$`)
	// attrNameRE matches custom attribute names heard will send or look up.
	attrNameRE = regexp.MustCompile(`^[^\s.$][^.$]{0,189}$`)
)

// customerAttrs are the sdk customer attribute keys custom_attributes may map.
var customerAttrs = []string{
	sdk.AttrPlan, sdk.AttrMRR, sdk.AttrLTV, sdk.AttrRenewalDate, sdk.AttrLastLogin, sdk.AttrUsageTrend,
	sdk.AttrPaymentStatus, sdk.AttrSignupDate, sdk.AttrNegativeInteractions, sdk.AttrEngagement, sdk.AttrRegion,
}

// attrScope says where a customer attribute is read.
type attrScope int

const (
	scopeAny     attrScope = iota // company first, then contact
	scopeCompany                  // company only
	scopeContact                  // contact only
)

// attrSource is one parsed custom_attributes entry.
type attrSource struct {
	scope attrScope
	name  string
}

// parseAttrSource parses "company.x", "contact.x" or "x".
func parseAttrSource(v string) (attrSource, bool) {
	v = strings.TrimSpace(v)
	src := attrSource{scope: scopeAny, name: v}
	if rest, ok := strings.CutPrefix(v, "company."); ok {
		src = attrSource{scope: scopeCompany, name: rest}
	} else if rest, ok := strings.CutPrefix(v, "contact."); ok {
		src = attrSource{scope: scopeContact, name: rest}
	}
	return src, attrNameRE.MatchString(src.name)
}

// Validate reports the first problem with c, wrapping sdk.ErrInvalid. It
// checks c as given; defaults are applied by New.
func (c Config) Validate() error {
	_, err := c.normalized()
	return err
}

// normalized returns c with defaults applied, or the first problem.
func (c Config) normalized() (Config, error) {
	bad := func(format string, args ...any) (Config, error) {
		return Config{}, fmt.Errorf("checking intercom settings: "+format+": %w", append(args, sdk.ErrInvalid)...)
	}
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.APIVersion == "" {
		c.APIVersion = DefaultAPIVersion
	}
	if c.RateLimit.RatePerMinute <= 0 {
		c.RateLimit.RatePerMinute = DefaultRatePerMinute
	}
	switch {
	case c.Workspace == "":
		return bad("workspace is required")
	case !workspaceRE.MatchString(c.Workspace):
		return bad("workspace %.64q: want letters, digits, '.', '_' or '-'", c.Workspace)
	case c.AppID != "" && !appIDRE.MatchString(c.AppID):
		return bad("app_id %.64q: want the lower-case workspace id, e.g. \"ecahpwf5\"", c.AppID)
	case c.AccessToken == "":
		return bad("access_token is required")
	case c.ClientSecret == "":
		return bad("client_secret is required (the app's client secret signs webhooks)")
	case c.AdminID != "" && !adminIDRE.MatchString(c.AdminID):
		return bad("admin_id %.64q: want a numeric Intercom admin id", c.AdminID)
	case !versionRE.MatchString(c.APIVersion) && c.APIVersion != PreviewAPIVersion:
		return bad("api_version %.32q: want a 2.x version such as %q, or %q", c.APIVersion, DefaultAPIVersion, PreviewAPIVersion)
	case c.WritePriority && c.APIVersion != PreviewAPIVersion:
		return bad("write_priority needs api_version %q: priority is read-only in %s (2.15 and 2.16 have no writable priority; heard writes the heard-priority-pN tag instead)", PreviewAPIVersion, c.APIVersion)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return bad("base_url %.100q: want an absolute http(s) URL such as %q", sdk.RedactURL(c.BaseURL), DefaultBaseURL)
	}
	if u.User != nil {
		return bad("base_url %.100q: must not carry credentials (user:password@); the token goes in access_token", sdk.RedactURL(c.BaseURL))
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	for _, attr := range sortedKeys(c.CustomAttributes) {
		if !slices.Contains(customerAttrs, attr) {
			return bad("custom_attributes: %.64q is not a customer attribute (want one of %s)", attr, strings.Join(customerAttrs, ", "))
		}
		if _, ok := parseAttrSource(c.CustomAttributes[attr]); !ok {
			return bad("custom_attributes.%s: %.100q: want \"company.<name>\", \"contact.<name>\" or \"<name>\"", attr, c.CustomAttributes[attr])
		}
	}
	for _, field := range sortedKeys(c.ConversationAttributes) {
		name := c.ConversationAttributes[field]
		if strings.TrimSpace(field) == "" {
			return bad("conversation_attributes: empty field name")
		}
		if !attrNameRE.MatchString(name) {
			return bad("conversation_attributes.%s: %.100q is not a custom attribute name", field, name)
		}
	}
	return c, nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
