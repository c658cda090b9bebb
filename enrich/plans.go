package enrich

import (
	"context"
	"strings"
	"time"

	"github.com/heardhq/heard/enrich/credits"
	"github.com/heardhq/heard/enrich/gate"
	"github.com/heardhq/heard/sdk"
)

// AttrProduct is the enricher attribute naming the ticket's product, a
// string; the ticket field of support_plans.product_field comes first.
const AttrProduct = "ticket.product"

// sourceCredits is the Source of the predictions the plan policy adds.
const sourceCredits = "enrich.credits"

// newPlans compiles the plan policy with the SLA calendar's zone as the
// default zone of credit periods.
func newPlans(cfg Config) (*credits.Policy, error) {
	loc := cfg.SLA.Calendar.Location
	if loc == nil && cfg.SLA.Calendar.TimeZone != "" {
		l, err := time.LoadLocation(cfg.SLA.Calendar.TimeZone)
		if err != nil {
			return nil, err
		}
		loc = l
	}
	return credits.New(cfg.Plans, loc)
}

// credits selects the ticket's plan (d.Plan) and, for a new ticket,
// counts it against the plan's credit (d.Credits). It returns the credit
// field and, beyond the credit, the chargeable tag as predictions for the
// gate. A failed count is recorded in d.Errors.
func (tr *Decider) credits(ctx context.Context, t *sdk.Ticket, attrs sdk.Attrs, cust map[string]string, kind sdk.EventKind, created time.Time, d *Explanation) []sdk.Prediction {
	if !tr.plans.Enabled() {
		return nil
	}
	product := t.Fields[tr.cfg.Plans.ProductField]
	if product == "" {
		product, _ = attrs[AttrProduct].(string)
	}
	sel := tr.plans.Select(cust, product)
	if len(sel.Held) == 0 {
		return nil
	}
	d.Plan = &sel
	if sel.Plan == "" || kind != sdk.EventTicketCreated || tr.counter == nil {
		return nil
	}
	account := accountKey(t)
	if account == "" {
		d.Errors = append(d.Errors, "credits: no organization or requester to count the ticket against")
		return nil
	}
	res, err := tr.plans.Count(ctx, tr.counter, account, t.Ref.Connector+"/"+t.Ref.ID, sel, cust, created)
	if err != nil {
		d.Errors = append(d.Errors, "credits: "+err.Error())
		return nil
	}
	d.Credits = res
	preds := []sdk.Prediction{{Field: tr.plans.Field(), Value: res.Summary(), Confidence: 1, Reason: "support plan " + res.Plan, Source: sourceCredits}}
	if res.Chargeable {
		preds = append(preds, sdk.Prediction{Field: gate.FieldPolicyTag, Value: tr.plans.ChargeableTag(), Confidence: 1,
			Reason: res.NoteLine(), Source: sourceCredits})
	}
	return preds
}

// accountKey names the customer account a credit belongs to: the
// connector and the organization, or the requester without one.
func accountKey(t *sdk.Ticket) string {
	if id := strings.TrimSpace(t.Organization.ID); id != "" {
		return t.Ref.Connector + "/org:" + id
	}
	if r := requesterKey(t); r != "" {
		return t.Ref.Connector + "/requester:" + r
	}
	return ""
}
