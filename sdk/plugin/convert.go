package plugin

// Converters between the sdk types and their heard.plugin.v1 messages. The
// proto types stop here: nothing outside this package sees them.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/heardhq/heard/sdk"
	pb "github.com/heardhq/heard/sdk/proto/heard/plugin/v1"
)

func toTime(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func fromTime(ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.AsTime()
}

func toRef(r sdk.TicketRef) *pb.TicketRef {
	return &pb.TicketRef{Connector: r.Connector, Account: r.Account, Id: r.ID}
}

func fromRef(r *pb.TicketRef) sdk.TicketRef {
	return sdk.TicketRef{Connector: r.GetConnector(), Account: r.GetAccount(), ID: r.GetId()}
}

func toParty(p sdk.Party) *pb.Party { return &pb.Party{Id: p.ID, Name: p.Name, Email: p.Email} }

func fromParty(p *pb.Party) sdk.Party {
	return sdk.Party{ID: p.GetId(), Name: p.GetName(), Email: p.GetEmail()}
}

func toTicket(t *sdk.Ticket) *pb.Ticket {
	if t == nil {
		return nil
	}
	out := &pb.Ticket{
		Ref: toRef(t.Ref), Subject: t.Subject, Status: string(t.Status), Priority: string(t.Priority),
		Requester: toParty(t.Requester), Organization: toParty(t.Organization),
		Tags: t.Tags, Fields: t.Fields, Customer: t.Customer,
		CreatedAt: toTime(t.CreatedAt), UpdatedAt: toTime(t.UpdatedAt),
	}
	if len(t.Messages) > 0 {
		out.Messages = make([]*pb.Message, len(t.Messages))
		for i, m := range t.Messages {
			out.Messages[i] = &pb.Message{Id: m.ID, Author: toParty(m.Author), FromAgent: m.FromAgent, Public: m.Public,
				Body: m.Body, CreatedAt: toTime(m.CreatedAt)}
		}
	}
	if len(t.Recent) > 0 {
		out.Recent = make([]*pb.TicketRef, len(t.Recent))
		for i, r := range t.Recent {
			out.Recent[i] = toRef(r)
		}
	}
	return out
}

func fromTicket(t *pb.Ticket) *sdk.Ticket {
	if t == nil {
		return nil
	}
	out := &sdk.Ticket{
		Ref: fromRef(t.GetRef()), Subject: t.GetSubject(), Status: sdk.Status(t.GetStatus()), Priority: sdk.Priority(t.GetPriority()),
		Requester: fromParty(t.GetRequester()), Organization: fromParty(t.GetOrganization()),
		Tags: t.GetTags(), Fields: t.GetFields(), Customer: t.GetCustomer(),
		CreatedAt: fromTime(t.GetCreatedAt()), UpdatedAt: fromTime(t.GetUpdatedAt()),
	}
	if ms := t.GetMessages(); len(ms) > 0 {
		out.Messages = make([]sdk.Message, len(ms))
		for i, m := range ms {
			out.Messages[i] = sdk.Message{ID: m.GetId(), Author: fromParty(m.GetAuthor()), FromAgent: m.GetFromAgent(),
				Public: m.GetPublic(), Body: m.GetBody(), CreatedAt: fromTime(m.GetCreatedAt())}
		}
	}
	if rs := t.GetRecent(); len(rs) > 0 {
		out.Recent = make([]sdk.TicketRef, len(rs))
		for i, r := range rs {
			out.Recent[i] = fromRef(r)
		}
	}
	return out
}

// toAttrs encodes attributes as a JSON object; nil or empty is no bytes.
func toAttrs(a sdk.Attrs) ([]byte, error) {
	if len(a) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encoding attrs as JSON: %w", err)
	}
	return b, nil
}

func fromAttrs(b []byte) (sdk.Attrs, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var a sdk.Attrs
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("decoding attrs JSON: %w: %w", err, sdk.ErrInvalid)
	}
	return a, nil
}

func toFields(fs []sdk.FieldSpec) []*pb.FieldSpec {
	if len(fs) == 0 {
		return nil
	}
	out := make([]*pb.FieldSpec, len(fs))
	for i, f := range fs {
		out[i] = &pb.FieldSpec{Name: f.Name, Allowed: f.Allowed}
	}
	return out
}

func fromFields(fs []*pb.FieldSpec) []sdk.FieldSpec {
	if len(fs) == 0 {
		return nil
	}
	out := make([]sdk.FieldSpec, len(fs))
	for i, f := range fs {
		out[i] = sdk.FieldSpec{Name: f.GetName(), Allowed: f.GetAllowed()}
	}
	return out
}

func toPredictions(ps []sdk.Prediction) []*pb.Prediction {
	if len(ps) == 0 {
		return nil
	}
	out := make([]*pb.Prediction, len(ps))
	for i, p := range ps {
		out[i] = &pb.Prediction{Field: p.Field, Value: p.Value, Confidence: p.Confidence, Reason: p.Reason, Source: p.Source}
	}
	return out
}

func fromPredictions(ps []*pb.Prediction) []sdk.Prediction {
	if len(ps) == 0 {
		return nil
	}
	out := make([]sdk.Prediction, len(ps))
	for i, p := range ps {
		out[i] = sdk.Prediction{Field: p.GetField(), Value: p.GetValue(), Confidence: p.GetConfidence(), Reason: p.GetReason(), Source: p.GetSource()}
	}
	return out
}

func toClassifyRequest(r *sdk.ClassifyRequest) (*pb.ClassifyRequest, error) {
	if r == nil {
		return &pb.ClassifyRequest{}, nil
	}
	attrs, err := toAttrs(r.Attrs)
	if err != nil {
		return nil, err
	}
	return &pb.ClassifyRequest{Ticket: toTicket(r.Ticket), AttrsJson: attrs, Fields: toFields(r.Fields)}, nil
}

func fromClassifyRequest(r *pb.ClassifyRequest) (*sdk.ClassifyRequest, error) {
	attrs, err := fromAttrs(r.GetAttrsJson())
	if err != nil {
		return nil, err
	}
	t := fromTicket(r.GetTicket())
	if t == nil {
		t = &sdk.Ticket{}
	}
	return &sdk.ClassifyRequest{Ticket: t, Attrs: attrs, Fields: fromFields(r.GetFields())}, nil
}

func toEnrichRequest(r *sdk.EnrichRequest) (*pb.EnrichRequest, error) {
	if r == nil {
		return &pb.EnrichRequest{}, nil
	}
	attrs, err := toAttrs(r.Attrs)
	if err != nil {
		return nil, err
	}
	return &pb.EnrichRequest{Ticket: toTicket(r.Ticket), AttrsJson: attrs}, nil
}

func fromEnrichRequest(r *pb.EnrichRequest) (*sdk.EnrichRequest, error) {
	attrs, err := fromAttrs(r.GetAttrsJson())
	if err != nil {
		return nil, err
	}
	t := fromTicket(r.GetTicket())
	if t == nil {
		t = &sdk.Ticket{}
	}
	return &sdk.EnrichRequest{Ticket: t, Attrs: attrs}, nil
}

func toHeader(h http.Header) map[string]*pb.HeaderValues {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]*pb.HeaderValues, len(h))
	for k, vs := range h {
		out[k] = &pb.HeaderValues{Values: vs}
	}
	return out
}

// fromHeader keeps the keys exactly as sent: they were canonical on the
// host side, and a plugin may look them up with Get or by raw key.
func fromHeader(h map[string]*pb.HeaderValues) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		out[k] = vs.GetValues()
	}
	return out
}

func toEvents(es []sdk.Event) []*pb.Event {
	out := make([]*pb.Event, len(es))
	for i, e := range es {
		out[i] = &pb.Event{Id: e.ID, Kind: string(e.Kind), Ticket: toRef(e.Ticket), OccurredAt: toTime(e.OccurredAt),
			Actor: e.Actor, Payload: e.Payload}
	}
	return out
}

func fromEvents(es []*pb.Event) []sdk.Event {
	if len(es) == 0 {
		return nil
	}
	out := make([]sdk.Event, len(es))
	for i, e := range es {
		out[i] = sdk.Event{ID: e.GetId(), Kind: sdk.EventKind(e.GetKind()), Ticket: fromRef(e.GetTicket()),
			OccurredAt: fromTime(e.GetOccurredAt()), Actor: e.GetActor(), Payload: e.GetPayload()}
	}
	return out
}

func toChanges(c sdk.Changes) *pb.Changes {
	out := &pb.Changes{AddTags: c.AddTags, Fields: c.Fields, InternalNote: c.InternalNote, Fingerprint: c.Fingerprint, PublicReply: c.PublicReply}
	if c.Priority != nil {
		p := string(*c.Priority)
		out.Priority = &p
	}
	return out
}

func fromChanges(c *pb.Changes) sdk.Changes {
	out := sdk.Changes{AddTags: c.GetAddTags(), Fields: c.GetFields(), InternalNote: c.GetInternalNote(), Fingerprint: c.GetFingerprint(), PublicReply: c.GetPublicReply()}
	if c.Priority != nil {
		p := sdk.Priority(c.GetPriority())
		out.Priority = &p
	}
	return out
}

func toArticles(as []sdk.Article) []*pb.Article {
	out := make([]*pb.Article, len(as))
	for i, a := range as {
		out[i] = &pb.Article{Id: a.ID, Title: a.Title, Body: a.Body, Url: a.URL, Locale: a.Locale, Section: a.Section,
			Draft: a.Draft, UpdatedAt: toTime(a.UpdatedAt)}
	}
	return out
}

func fromArticles(as []*pb.Article) []sdk.Article {
	if len(as) == 0 {
		return nil
	}
	out := make([]sdk.Article, len(as))
	for i, a := range as {
		out[i] = sdk.Article{ID: a.GetId(), Title: a.GetTitle(), Body: a.GetBody(), URL: a.GetUrl(), Locale: a.GetLocale(),
			Section: a.GetSection(), Draft: a.GetDraft(), UpdatedAt: fromTime(a.GetUpdatedAt())}
	}
	return out
}

func toInfo(i Info) *pb.GetInfoResponse {
	kinds := make([]string, len(i.Kinds))
	for n, k := range i.Kinds {
		kinds[n] = string(k)
	}
	return &pb.GetInfoResponse{Name: i.Name, Version: i.Version, Description: i.Description, Kinds: kinds,
		Features: i.Features, Protocol: int32(i.Protocol), Files: i.Files} //nolint:gosec // protocol versions are tiny
}

func fromInfo(r *pb.GetInfoResponse) Info {
	kinds := make([]Kind, len(r.GetKinds()))
	for n, k := range r.GetKinds() {
		kinds[n] = Kind(k)
	}
	return Info{Name: r.GetName(), Version: r.GetVersion(), Description: r.GetDescription(), Kinds: kinds,
		Features: r.GetFeatures(), Protocol: int(r.GetProtocol()), Files: r.GetFiles()}
}
