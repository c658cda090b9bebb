package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// kind is how a field is asked for and answered.
type kind int

const (
	kindEnum       kind = iota // {value (one of allowed), confidence, reason}
	kindText                   // {value (free text), confidence, reason}
	kindLanguage               // {value (ISO 639-1), confidence, reason}
	kindList                   // [{value (one of allowed), confidence, reason}], at most maxSecondary
	kindSignal                 // {fired, confidence, reason}
	kindCompetitor             // {fired, name, confidence, reason}
	kindAmount                 // {fired, amount, confidence, reason}
)

// maxSecondary is the most secondary tags a ticket gets.
const maxSecondary = policy.MaxSecondaryTags

// Limits on what the model writes.
const (
	maxReason = 300 // runes; longer reasons are cut
	maxText   = 64  // runes in a free-text value (product area, competitor)
)

// field is one field in one request: its sdk name, its property in the
// schema and answer, and what values it takes.
type field struct {
	name    string // sdk field name, e.g. "tag.primary"
	key     string // schema property, e.g. "tag_primary"
	kind    kind
	allowed []string // kindEnum, kindList, and kindLanguage when set
}

// known lists the fields the classifier can predict, in prompt and schema
// order: the triage fields, then the policy's text signals.
var known = func() []knownField {
	out := []knownField{
		{sdk.FieldPriority, kindEnum},
		{sdk.FieldPrimaryTag, kindEnum},
		{sdk.FieldSecondaryTag, kindList},
		{sdk.FieldSentiment, kindEnum},
		{sdk.FieldLanguage, kindLanguage},
		{sdk.FieldProductArea, kindText},
	}
	for _, f := range policy.SignalFields() {
		k := kindSignal
		switch f {
		case sdk.FieldSignalCompetitor:
			k = kindCompetitor
		case sdk.FieldSignalRefundAmount:
			k = kindAmount
		}
		out = append(out, knownField{f, k})
	}
	return out
}()

type knownField struct {
	name string
	kind kind
}

// fieldsFor returns the fields to ask for: every known field when specs is
// empty, else the known fields specs names (others are skipped: the model
// has no definition for them). A spec's Allowed list replaces the default
// values of an enum, list or language field and turns free text into an
// enum.
func fieldsFor(specs []sdk.FieldSpec, tags policy.Taxonomy) []field {
	allowed := make(map[string][]string, len(specs))
	for _, s := range specs {
		allowed[s.Name] = s.Allowed
	}
	tagNames := tags.Names()
	var out []field
	for _, k := range known {
		al, asked := allowed[k.name]
		if len(specs) > 0 && !asked {
			continue
		}
		f := field{name: k.name, key: strings.ReplaceAll(k.name, ".", "_"), kind: k.kind}
		switch k.name {
		case sdk.FieldPriority:
			f.allowed = policy.PriorityValues()
		case sdk.FieldPrimaryTag, sdk.FieldSecondaryTag:
			f.allowed = tagNames
		case sdk.FieldSentiment:
			f.allowed = policy.Sentiments()
		}
		if al = nonEmpty(al); len(al) > 0 {
			switch f.kind {
			case kindEnum, kindList, kindLanguage:
				f.allowed = al
			case kindText:
				f.kind, f.allowed = kindEnum, al
			}
		}
		out = append(out, f)
	}
	return out
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

const languagePattern = "^[a-z]{2}$"

var languageRE = regexp.MustCompile(languagePattern)

const amountPattern = `^([0-9]+(\.[0-9]{1,2})?)?$`

var amountRE = regexp.MustCompile(amountPattern)

// schema returns the strict JSON Schema for an answer to fields: one
// required property per field, no others, at every level.
func schema(fields []field) json.RawMessage {
	props := make(map[string]any, len(fields))
	required := make([]string, 0, len(fields))
	for _, f := range fields {
		props[f.key] = f.schema()
		required = append(required, f.key)
	}
	b, err := json.Marshal(object(props, required))
	if err != nil {
		panic(fmt.Sprintf("%s: marshalling the answer schema: %v", ID, err)) // only maps of strings and numbers
	}
	return b
}

func object(props map[string]any, required []string) map[string]any {
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

func (f field) schema() map[string]any {
	confidence := map[string]any{"type": "number", "minimum": 0, "maximum": 1}
	reason := map[string]any{"type": "string"}
	value := map[string]any{"type": "string"}
	switch f.kind {
	case kindEnum, kindList:
		value["enum"] = f.allowed
	case kindLanguage:
		if len(f.allowed) > 0 {
			value["enum"] = f.allowed
		} else {
			value["pattern"] = languagePattern
		}
	case kindSignal, kindCompetitor, kindAmount:
		props := map[string]any{"fired": map[string]any{"type": "boolean"}, "confidence": confidence, "reason": reason}
		required := []string{"fired", "confidence", "reason"}
		switch f.kind {
		case kindCompetitor:
			props["name"] = map[string]any{"type": "string"}
			required = append(required, "name")
		case kindAmount:
			props["amount"] = map[string]any{"type": "string", "pattern": amountPattern}
			required = append(required, "amount")
		}
		return object(props, required)
	}
	one := object(map[string]any{"value": value, "confidence": confidence, "reason": reason}, []string{"value", "confidence", "reason"})
	if f.kind == kindList {
		return map[string]any{"type": "array", "items": one, "maxItems": maxSecondary}
	}
	return one
}

// errAnswer marks an answer that breaks the schema or the rules. Its
// messages name fields and rules, never the values, so they can be logged:
// a value could echo ticket text.
var errAnswer = errors.New("invalid answer")

func answerErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errAnswer, fmt.Sprintf(format, args...))
}

// valueAnswer and signalAnswer are what the model writes per field.
// Pointers tell a missing property from a zero one.
type valueAnswer struct {
	Value      *string  `json:"value"`
	Confidence *float64 `json:"confidence"`
	Reason     *string  `json:"reason"`
}

type signalAnswer struct {
	Fired      *bool    `json:"fired"`
	Name       *string  `json:"name"`
	Amount     *string  `json:"amount"`
	Confidence *float64 `json:"confidence"`
	Reason     *string  `json:"reason"`
}

// parse validates content against fields and returns the predictions it
// makes. Any breach of the schema or the rules fails the whole answer.
func parse(content []byte, fields []field) ([]sdk.Prediction, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(content, &top); err != nil || top == nil {
		return nil, answerErr("not a JSON object")
	}
	for _, f := range fields {
		if _, ok := top[f.key]; !ok {
			return nil, answerErr("missing field %s", f.key)
		}
	}
	if len(top) > len(fields) {
		return nil, answerErr("%d unknown fields", len(top)-len(fields))
	}
	var preds []sdk.Prediction
	for _, f := range fields {
		ps, err := f.parse(top[f.key])
		if err != nil {
			return nil, err
		}
		preds = append(preds, ps...)
	}
	return dropSecondaryDuplicates(preds), nil
}

func (f field) parse(raw json.RawMessage) ([]sdk.Prediction, error) {
	switch f.kind {
	case kindSignal, kindCompetitor, kindAmount:
		var a signalAnswer
		if err := decodeStrict(raw, &a); err != nil {
			return nil, answerErr("%s: %v", f.key, err)
		}
		p, ok, err := f.signal(a)
		if err != nil || !ok {
			return nil, err
		}
		return []sdk.Prediction{p}, nil
	case kindList:
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil || items == nil {
			return nil, answerErr("%s: not an array", f.key)
		}
		if len(items) > maxSecondary {
			return nil, answerErr("%s: %d items; at most %d", f.key, len(items), maxSecondary)
		}
		var out []sdk.Prediction
		for i, it := range items {
			p, ok, err := f.value(it, fmt.Sprintf("%s[%d]", f.key, i))
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, p)
			}
		}
		return out, nil
	default:
		p, ok, err := f.value(raw, f.key)
		if err != nil || !ok {
			return nil, err
		}
		return []sdk.Prediction{p}, nil
	}
}

// value parses one {value, confidence, reason} answer. ok is false for an
// empty free-text value: the model did not know.
func (f field) value(raw json.RawMessage, where string) (p sdk.Prediction, ok bool, err error) {
	var a valueAnswer
	if err := decodeStrict(raw, &a); err != nil {
		return p, false, answerErr("%s: %v", where, err)
	}
	if a.Value == nil || a.Confidence == nil || a.Reason == nil {
		return p, false, answerErr("%s: value, confidence and reason are required", where)
	}
	v := strings.TrimSpace(*a.Value)
	switch f.kind {
	case kindEnum, kindList:
		if !slices.Contains(f.allowed, v) {
			return p, false, answerErr("%s: value is not one of the %d allowed", where, len(f.allowed))
		}
	case kindLanguage:
		if (len(f.allowed) > 0 && !slices.Contains(f.allowed, v)) || (len(f.allowed) == 0 && !languageRE.MatchString(v)) {
			return p, false, answerErr("%s: value is not an allowed ISO 639-1 code", where)
		}
	case kindText:
		if v == "" {
			return p, false, nil
		}
		if utf8.RuneCountInString(v) > maxText || strings.ContainsAny(v, "\r\n") {
			return p, false, answerErr("%s: value is longer than %d characters or spans lines", where, maxText)
		}
	}
	reason, err := checkConfidenceReason(*a.Confidence, *a.Reason, where)
	if err != nil {
		return p, false, err
	}
	return sdk.Prediction{Field: f.name, Value: v, Confidence: *a.Confidence, Reason: reason, Source: ID}, true, nil
}

// signal parses one {fired, ..., confidence, reason} answer. ok is false
// when the signal did not fire, or fired without an amount.
func (f field) signal(a signalAnswer) (p sdk.Prediction, ok bool, err error) {
	if a.Fired == nil || a.Confidence == nil || a.Reason == nil {
		return p, false, answerErr("%s: fired, confidence and reason are required", f.key)
	}
	if (a.Name != nil) != (f.kind == kindCompetitor) {
		return p, false, answerErr("%s: name is required for the competitor signal and unknown elsewhere", f.key)
	}
	if (a.Amount != nil) != (f.kind == kindAmount) {
		return p, false, answerErr("%s: amount is required for the refund signal and unknown elsewhere", f.key)
	}
	if *a.Confidence < 0 || *a.Confidence > 1 || math.IsNaN(*a.Confidence) {
		return p, false, answerErr("%s: confidence outside [0,1]", f.key)
	}
	if !*a.Fired {
		return p, false, nil
	}
	value := "true"
	switch f.kind {
	case kindCompetitor:
		if n := strings.TrimSpace(*a.Name); n != "" {
			if utf8.RuneCountInString(n) > maxText || strings.ContainsAny(n, "\r\n") {
				return p, false, answerErr("%s: name is longer than %d characters or spans lines", f.key, maxText)
			}
			value = n
		}
	case kindAmount:
		amt := strings.TrimSpace(*a.Amount)
		if !amountRE.MatchString(amt) {
			return p, false, answerErr("%s: amount is not a decimal like 650.00", f.key)
		}
		if amt == "" {
			return p, false, nil // a refund with no amount named: nothing to predict
		}
		value = amt
	}
	reason, err := checkConfidenceReason(*a.Confidence, *a.Reason, f.key)
	if err != nil {
		return p, false, err
	}
	return sdk.Prediction{Field: f.name, Value: value, Confidence: *a.Confidence, Reason: reason, Source: ID}, true, nil
}

func checkConfidenceReason(confidence float64, reason, where string) (string, error) {
	if confidence < 0 || confidence > 1 || math.IsNaN(confidence) {
		return "", answerErr("%s: confidence outside [0,1]", where)
	}
	reason = strings.Join(strings.Fields(reason), " ")
	if reason == "" {
		return "", answerErr("%s: empty reason", where)
	}
	return "llm: " + shorten(reason, maxReason), nil
}

// decodeStrict decodes one JSON object into v, rejecting unknown fields
// and trailing data.
func decodeStrict(raw json.RawMessage, v any) error {
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return errors.New("not an object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return fmt.Errorf("%s has the wrong type", ute.Field)
		}
		if strings.HasPrefix(err.Error(), "json: unknown field") {
			return errors.New("unknown property")
		}
		return errors.New("malformed object")
	}
	return nil
}

// dropSecondaryDuplicates removes secondary tags that repeat the primary
// tag or each other: harmless slips, not reasons to reject the answer.
func dropSecondaryDuplicates(preds []sdk.Prediction) []sdk.Prediction {
	seen := map[string]bool{}
	for _, p := range preds {
		if p.Field == sdk.FieldPrimaryTag {
			seen[p.Value] = true
		}
	}
	return slices.DeleteFunc(preds, func(p sdk.Prediction) bool {
		if p.Field != sdk.FieldSecondaryTag {
			return false
		}
		dup := seen[p.Value]
		seen[p.Value] = true
		return dup
	})
}

// shorten cuts s to at most n runes.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
