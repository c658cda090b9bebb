package alerts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/heardhq/heard/internal/store"
)

// Headers of a delivery. The signature is "sha256=" and the hex
// HMAC-SHA256, keyed with the webhook's secret, of the timestamp header's
// value, a ".", and the body as sent.
const (
	HeaderSignature = "X-Heard-Signature"
	HeaderTimestamp = "X-Heard-Timestamp" // unix seconds
	HeaderAlertKey  = "X-Heard-Alert-Key" // the alert's key, to drop a repeated delivery
)

// Sign returns the signature header value of body sent at ts.
func Sign(secret string, ts time.Time, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts.Unix(), 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// ErrBadSignature is returned by Verify for a missing, stale or wrong
// signature.
var ErrBadSignature = errors.New("bad alert signature")

// Verify checks a delivery's signature and that its timestamp is within
// tolerance of now: what a receiver does.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(h.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q: %w", h.Get(HeaderTimestamp), ErrBadSignature)
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > tolerance || d < -tolerance {
		return fmt.Errorf("timestamp %s is %s from now: %w", ts.UTC().Format(time.RFC3339), d, ErrBadSignature)
	}
	if !hmac.Equal([]byte(h.Get(HeaderSignature)), []byte(Sign(secret, ts, body))) {
		return ErrBadSignature
	}
	return nil
}

// Payload is the generic JSON body of an alert.
type Payload struct {
	Key     string    `json:"key"`
	Rule    string    `json:"rule"`
	Subject string    `json:"subject"`
	Period  string    `json:"period"`
	Message string    `json:"message"`
	FiredAt time.Time `json:"fired_at"`
}

// Body returns a's body in format.
func Body(format string, a store.Alert) ([]byte, error) {
	if format == FormatSlack {
		return json.Marshal(struct {
			Text string `json:"text"`
		}{Text: ":rotating_light: heard alert (" + a.Rule + "): " + a.Message})
	}
	return json.Marshal(Payload{Key: a.Key, Rule: a.Rule, Subject: a.Subject, Period: a.Period, Message: a.Message, FiredAt: a.FiredAt})
}

// statusError is an answer other than 2xx.
type statusError struct {
	code int
}

func (e *statusError) Error() string {
	return "webhook answered " + strconv.Itoa(e.code) + " " + http.StatusText(e.code)
}

// retryable reports whether err may pass on another try: network errors
// and 5xx (and 429) answers; any other answer will not change.
func retryable(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.code >= 500 || se.code == http.StatusTooManyRequests
	}
	return true
}

// deliver sends a to w, up to Delivery.Attempts times with doubling
// backoff. The error never contains the URL.
func (j *Job) deliver(ctx context.Context, w Webhook, a store.Alert) error {
	body, err := Body(w.Format, a)
	if err != nil {
		return fmt.Errorf("encoding alert %s: %w", a.Key, err)
	}
	wait := j.cfg.Config.Delivery.Backoff.Std()
	for attempt := 1; ; attempt++ {
		err = j.post(ctx, w, a.Key, body)
		if err == nil || !retryable(err) || attempt >= j.cfg.Config.Delivery.Attempts {
			return err
		}
		j.log.DebugContext(ctx, "alert delivery failed, retrying", "webhook", w.Name, "alert", a.Key, "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// post makes one request.
func (j *Job) post(ctx context.Context, w Webhook, key string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, j.cfg.Config.Delivery.Timeout.Std())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL.Reveal(), bytes.NewReader(body))
	if err != nil {
		return errors.New("building the request failed") // its text would name the URL
	}
	ts := j.now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "heard-alerts")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(w.Secret.Reveal(), ts, body))
	req.Header.Set(HeaderAlertKey, key)
	resp, err := j.client.Do(req)
	if err != nil {
		return scrub(err, w.URL.Reveal())
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &statusError{code: resp.StatusCode}
	}
	return nil
}

// scrub keeps a transport error's cause but not the URL it names (a
// Slack webhook's path is its credential).
func scrub(err error, rawURL string) error {
	var ue interface{ Unwrap() error }
	msg := err.Error()
	if errors.As(err, &ue) && ue.Unwrap() != nil {
		msg = ue.Unwrap().Error()
	}
	return errors.New(strings.ReplaceAll(msg, rawURL, "[webhook url]"))
}
