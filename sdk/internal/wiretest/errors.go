package wiretest

import (
	"errors"
	"testing"
	"time"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
)

// ErrorCase is what an error fixture answers for one ticket subject.
type ErrorCase struct {
	Subject string
	Is      error // the sdk sentinel it must match; nil: none
	Message string
	Wait    time.Duration // a RetryAfterError's wait; 0: not one
}

// Common are the cases every helper's fixture serves; a helper adds the
// ones whose message is its language's (an uncaught exception's text).
var Common = []ErrorCase{
	{"not_found", sdk.ErrNotFound, "no such customer", 0},
	{"invalid", sdk.ErrInvalid, "bad ticket", 0},
	{"unauthorized", sdk.ErrUnauthorized, "token refused", 0},
	{"unavailable", sdk.ErrUnavailable, "crm is down", 0},
	{"retry_after", sdk.ErrUnavailable, "retry after 1.5s: rate limited", 1500 * time.Millisecond},
	{"plain", nil, "something odd", 0},
}

// CheckErrors classifies a ticket per case with c and checks the error
// heard sees: its message, the sentinels it matches (and no other), its
// retry wait, and that it is never taken for a transport failure or a
// panic (which would make heard restart the plugin). Then the plugin must
// still answer a ticket it accepts ("fine").
func CheckErrors(t *testing.T, c *plugin.Client, cases []ErrorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Subject, func(t *testing.T) {
			_, err := c.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Subject: tc.Subject}})
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tc.Message {
				t.Errorf("message %q; want %q", err.Error(), tc.Message)
			}
			if errors.Is(err, plugin.ErrTransport) || errors.Is(err, plugin.ErrPanicked) {
				t.Errorf("%v is taken for a transport failure or a panic", err)
			}
			for _, s := range []error{sdk.ErrNotFound, sdk.ErrInvalid, sdk.ErrUnauthorized, sdk.ErrUnavailable} {
				if got, want := errors.Is(err, s), tc.Is != nil && errors.Is(tc.Is, s); got != want {
					t.Errorf("errors.Is(err, %v) = %t; want %t", s, got, want)
				}
			}
			var ra *sdk.RetryAfterError
			if got := errors.As(err, &ra); got != (tc.Wait > 0) || (got && ra.Wait != tc.Wait) {
				t.Errorf("RetryAfterError %+v (found %t); want wait %s", ra, got, tc.Wait)
			}
		})
	}
	if _, err := c.Classifier().Classify(t.Context(), &sdk.ClassifyRequest{Ticket: &sdk.Ticket{Subject: "fine"}}); err != nil {
		t.Errorf("the plugin stopped answering after the errors: %v", err)
	}
}
