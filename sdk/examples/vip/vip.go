package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/heardhq/heard/sdk"
	"github.com/heardhq/heard/sdk/plugin"
)

// Settings are the booster's `settings:` block in heard's config.
type Settings struct {
	// Plans maps a customer plan (Ticket.Customer["plan"]) to the least
	// urgent priority its tickets get, e.g. {"enterprise": "P1"}.
	Plans map[string]string `json:"plans"`
	// VIPDomains are requester e-mail domains whose tickets are VIP.
	VIPDomains []string `json:"vip_domains"`
	// VIPEmails are individual VIP requesters.
	VIPEmails []string `json:"vip_emails"`
	// MRRAtLeast makes customers paying at least this much a month VIP;
	// 0 turns the rule off.
	MRRAtLeast float64 `json:"mrr_at_least"`
	// VIPPriority is the priority VIP tickets get. Default "P1".
	VIPPriority string `json:"vip_priority"`
	// Tag is the secondary tag VIP tickets get. Default "vip"; "-" for none.
	Tag string `json:"tag"`
	// Confidence of every prediction, 0..1. Default 0.85.
	Confidence float64 `json:"confidence"`
}

// Validate fills defaults and checks the settings.
func (s *Settings) Validate() error {
	if s.VIPPriority == "" {
		s.VIPPriority = string(sdk.P1)
	}
	if s.Tag == "" {
		s.Tag = "vip"
	}
	if s.Confidence == 0 {
		s.Confidence = 0.85
	}
	var errs []string
	if _, err := sdk.ParsePriority(s.VIPPriority); err != nil {
		errs = append(errs, "vip_priority: "+err.Error())
	}
	for plan, p := range s.Plans {
		if _, err := sdk.ParsePriority(p); err != nil {
			errs = append(errs, fmt.Sprintf("plans.%s: %v", plan, err))
		}
	}
	if s.Confidence < 0 || s.Confidence > 1 {
		errs = append(errs, fmt.Sprintf("confidence %v: want 0..1", s.Confidence))
	}
	if len(errs) > 0 {
		return fmt.Errorf("vip settings: %s: %w", strings.Join(errs, "; "), sdk.ErrInvalid)
	}
	return nil
}

// Booster raises the priority of tickets from VIP requesters and from
// customers on plans that promise faster answers, and tags VIP tickets.
// It never lowers a priority. Safe for concurrent use.
type Booster struct {
	settings atomic.Pointer[Settings]
}

var _ sdk.Classifier = (*Booster)(nil)

// Configure decodes and installs the admin's settings. It is
// plugin.Options.Configure.
func (b *Booster) Configure(_ context.Context, req *plugin.ConfigureRequest) error {
	dec := json.NewDecoder(strings.NewReader(string(req.Settings)))
	dec.DisallowUnknownFields()
	var s Settings
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("vip settings: %w: %w", err, sdk.ErrInvalid)
	}
	if err := s.Validate(); err != nil {
		return err
	}
	b.settings.Store(&s)
	return nil
}

// Classify implements sdk.Classifier.
func (b *Booster) Classify(ctx context.Context, req *sdk.ClassifyRequest) (*sdk.ClassifyResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := b.settings.Load()
	if s == nil || req.Ticket == nil {
		return &sdk.ClassifyResponse{}, nil
	}
	t := req.Ticket
	var target sdk.Priority
	var why []string
	raise := func(p sdk.Priority, reason string) {
		if target == sdk.PriorityUnknown || p < target { // "P0" < "P1": more urgent
			target = p
		}
		why = append(why, reason)
	}
	plan := strings.ToLower(t.Customer[sdk.AttrPlan])
	if p, ok := s.Plans[plan]; ok && plan != "" {
		raise(sdk.Priority(strings.ToUpper(p)), fmt.Sprintf("plan %q gets at least %s", plan, strings.ToUpper(p)))
	}
	vip := vipReasons(s, t)
	if len(vip) > 0 {
		raise(sdk.Priority(strings.ToUpper(s.VIPPriority)), strings.Join(vip, ", "))
	}
	var preds []sdk.Prediction
	current := t.Priority
	if target != sdk.PriorityUnknown && (current == sdk.PriorityUnknown || target < current) && wants(req.Fields, sdk.FieldPriority, string(target)) {
		preds = append(preds, sdk.Prediction{Field: sdk.FieldPriority, Value: string(target), Confidence: s.Confidence,
			Reason: "boosted: " + strings.Join(why, "; ")})
	}
	if len(vip) > 0 && s.Tag != "-" && wants(req.Fields, sdk.FieldSecondaryTag, s.Tag) {
		preds = append(preds, sdk.Prediction{Field: sdk.FieldSecondaryTag, Value: s.Tag, Confidence: s.Confidence,
			Reason: "VIP: " + strings.Join(vip, ", ")})
	}
	return &sdk.ClassifyResponse{Predictions: preds}, nil
}

// vipReasons says why the requester is a VIP, if they are.
func vipReasons(s *Settings, t *sdk.Ticket) []string {
	var out []string
	email := strings.ToLower(t.Requester.Email)
	if email != "" && slices.ContainsFunc(s.VIPEmails, func(e string) bool { return strings.EqualFold(e, email) }) {
		out = append(out, "requester is on the VIP list")
	}
	if _, domain, ok := strings.Cut(email, "@"); ok && slices.ContainsFunc(s.VIPDomains, func(d string) bool { return strings.EqualFold(d, domain) }) {
		out = append(out, fmt.Sprintf("requester domain %s is a VIP domain", domain))
	}
	if s.MRRAtLeast > 0 {
		if mrr, err := strconv.ParseFloat(t.Customer[sdk.AttrMRR], 64); err == nil && mrr >= s.MRRAtLeast {
			out = append(out, fmt.Sprintf("MRR %s is at least %s", t.Customer[sdk.AttrMRR], strconv.FormatFloat(s.MRRAtLeast, 'f', -1, 64)))
		}
	}
	return out
}

// wants reports whether the request asks for field and allows value. An
// empty field list asks for everything.
func wants(fields []sdk.FieldSpec, field, value string) bool {
	if len(fields) == 0 {
		return true
	}
	for _, f := range fields {
		if f.Name == field {
			return len(f.Allowed) == 0 || slices.Contains(f.Allowed, value)
		}
	}
	return false
}
