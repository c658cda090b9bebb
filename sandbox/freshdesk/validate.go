package freshdesk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// fieldError is one entry of Freshdesk's validation error list.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Code    string `json:"code"`
}

func (e fieldError) String() string { return e.Field + ": " + e.Message + " (" + e.Code + ")" }

// Freshdesk's messages for the codes the emulation uses.
func invalidField(name string) fieldError {
	return fieldError{Field: name, Message: "Unexpected/invalid field in request", Code: "invalid_field"}
}

func mismatch(name, got, want string) fieldError {
	return fieldError{Field: name, Message: "Value set is of type " + got + ".It should be a/an " + want, Code: "datatype_mismatch"}
}

func missing(name, want string) fieldError {
	return fieldError{Field: name, Message: "It should be a/an " + want, Code: "missing_field"}
}

func invalidValue(name, msg string) fieldError {
	return fieldError{Field: name, Message: msg, Code: "invalid_value"}
}

// reject records a violation for r and answers 400 Validation failed.
func (d *Desk) reject(w http.ResponseWriter, r *http.Request, errs []fieldError) {
	problems := make([]string, len(errs))
	for i, e := range errs {
		problems[i] = e.String()
	}
	d.sb.Violate(r, "validation failed: %s", strings.Join(problems, "; "))
	writeJSON(w, http.StatusBadRequest, map[string]any{"description": "Validation failed", "errors": errs})
}

// readObject checks the Content-Type and decodes the body as a JSON object,
// numbers kept as json.Number. On failure it has already answered (and
// recorded the violation) and returns ok false.
func (d *Desk) readObject(w http.ResponseWriter, r *http.Request) (obj map[string]json.RawMessage, ok bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		d.sb.Violate(r, "Content-Type %q: want application/json", r.Header.Get("Content-Type"))
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{
			"code":    "invalid_content_type",
			"message": fmt.Sprintf("Content-Type header is set to %s. It should be set to application/json", r.Header.Get("Content-Type")),
		})
		return nil, false
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(r.Body)
	body := bytes.TrimSpace(buf.Bytes())
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		d.sb.Violate(r, "body is not a JSON object: %.200s", body)
		writeJSON(w, http.StatusBadRequest, map[string]string{"code": "invalid_json", "message": "Request body has invalid json format"})
		return nil, false
	}
	return obj, true
}

// checkQuery reports query parameters outside allowed.
func checkQuery(q url.Values, allowed ...string) []fieldError {
	var errs []fieldError
	for _, k := range sortedParams(q) {
		if !slices.Contains(allowed, k) {
			errs = append(errs, invalidField(k))
		}
	}
	return errs
}

func sortedParams(q url.Values) []string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkList reports values of a comma-separated parameter outside allowed.
func checkList(q url.Values, name string, allowed ...string) []fieldError {
	if !q.Has(name) {
		return nil
	}
	for v := range strings.SplitSeq(q.Get(name), ",") {
		if !slices.Contains(allowed, strings.TrimSpace(v)) {
			return []fieldError{invalidValue(name, "It should be one of these values: '"+strings.Join(allowed, ",")+"'")}
		}
	}
	return nil
}

// jsonType names the JSON type of raw as Freshdesk's messages do.
func jsonType(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "Null"
	}
	switch raw[0] {
	case '"':
		return "String"
	case '[':
		return "Array"
	case '{':
		return "Hash"
	case 't', 'f':
		return "Boolean"
	case 'n':
		return "Null"
	}
	return "Integer"
}

// asInt decodes an integer field; null is allowed when nullable.
func asInt(name string, raw json.RawMessage, nullable bool) (n int64, isNull bool, errs []fieldError) {
	if jsonType(raw) == "Null" {
		if nullable {
			return 0, true, nil
		}
		return 0, false, []fieldError{mismatch(name, "Null", "Integer")}
	}
	if jsonType(raw) != "Integer" {
		return 0, false, []fieldError{mismatch(name, jsonType(raw), "Integer")}
	}
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	if err != nil {
		return 0, false, []fieldError{mismatch(name, "Float", "Integer")}
	}
	return n, false, nil
}

// asString decodes a string field.
func asString(name string, raw json.RawMessage) (string, []fieldError) {
	var s string
	if jsonType(raw) != "String" || json.Unmarshal(raw, &s) != nil {
		return "", []fieldError{mismatch(name, jsonType(raw), "String")}
	}
	return s, nil
}

// asBool decodes a boolean field.
func asBool(name string, raw json.RawMessage) (bool, []fieldError) {
	var b bool
	if jsonType(raw) != "Boolean" || json.Unmarshal(raw, &b) != nil {
		return false, []fieldError{mismatch(name, jsonType(raw), "Boolean")}
	}
	return b, nil
}

// asStrings decodes an array of strings.
func asStrings(name string, raw json.RawMessage) ([]string, []fieldError) {
	var ss []string
	if jsonType(raw) != "Array" || json.Unmarshal(raw, &ss) != nil {
		return nil, []fieldError{mismatch(name, jsonType(raw), "Array of String")}
	}
	return ss, nil
}

// asCustomFields decodes ticket custom_fields: an object whose keys start
// with cf_ and whose values are scalars.
func asCustomFields(raw json.RawMessage) (map[string]any, []fieldError) {
	if jsonType(raw) != "Hash" {
		return nil, []fieldError{mismatch("custom_fields", jsonType(raw), "key/value pair")}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, []fieldError{mismatch("custom_fields", jsonType(raw), "key/value pair")}
	}
	out := map[string]any{}
	var errs []fieldError
	for _, k := range sortedRaw(m) {
		v := m[k]
		if !strings.HasPrefix(k, "cf_") || len(k) == len("cf_") {
			errs = append(errs, invalidField(k))
			continue
		}
		switch jsonType(v) {
		case "Array", "Hash":
			errs = append(errs, mismatch(k, jsonType(v), "String"))
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		var val any
		if err := dec.Decode(&val); err != nil {
			errs = append(errs, mismatch(k, jsonType(v), "String"))
			continue
		}
		out[k] = val
	}
	return out, errs
}

func sortedRaw(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pageBounds validates page and per_page (default 30, at most 100) and
// returns the slice [lo, hi) of n items; next reports whether more follow.
func pageBounds(q url.Values, n int) (lo, hi, page, per int, next bool, errs []fieldError) {
	page, per = 1, 30
	if q.Has("page") {
		p, err := strconv.Atoi(q.Get("page"))
		if err != nil || p < 1 {
			errs = append(errs, invalidValue("page", "It should be a Positive Integer"))
		} else {
			page = p
		}
	}
	if q.Has("per_page") {
		p, err := strconv.Atoi(q.Get("per_page"))
		if err != nil || p < 1 || p > 100 {
			errs = append(errs, invalidValue("per_page", "It should be a Positive Integer less than or equal to 100"))
		} else {
			per = p
		}
	}
	if errs != nil {
		return 0, 0, 0, 0, false, errs
	}
	lo = min((page-1)*per, n)
	hi = min(lo+per, n)
	return lo, hi, page, per, hi < n, nil
}

// setNextLink sets Link: <next page>; rel="next" for r.
func setNextLink(w http.ResponseWriter, r *http.Request, page, per int) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(page+1))
	q.Set("per_page", strconv.Itoa(per))
	w.Header().Set("Link", fmt.Sprintf(`<%s://%s%s?%s>; rel="next"`, scheme, r.Host, r.URL.Path, q.Encode()))
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeRequest checks a write to /tickets/{id}...: no query parameters, a
// Freshdesk id, a JSON object body. It answers the error itself and reports
// false on any problem.
func (d *Desk) writeRequest(w http.ResponseWriter, r *http.Request) (int64, map[string]json.RawMessage, bool) {
	if errs := checkQuery(r.URL.Query()); errs != nil {
		d.reject(w, r, errs)
		return 0, nil, false
	}
	id, ok := d.pathID(w, r)
	if !ok {
		return 0, nil, false
	}
	obj, ok := d.readObject(w, r)
	return id, obj, ok
}
