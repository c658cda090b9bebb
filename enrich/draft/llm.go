package draft

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	llmapi "github.com/heardhq/heard/internal/llm"
	"github.com/heardhq/heard/internal/redact"
	"github.com/heardhq/heard/sdk"
)

// schemaName names the answer schema in requests.
const schemaName = "heard_draft"

// Defaults for LLMConfig's zero fields.
const (
	DefaultLLMTimeout     = 20 * time.Second
	defaultSnippetChars   = 1200
	defaultMessageChars   = 4000
	maxDraftChars         = 6000
	fallbackReserve       = 250 * time.Millisecond // left for the template after the LLM call
	llmMaxArticlesDefault = 5
)

// jsonClient is the part of *llm.Client the drafter uses.
type jsonClient interface {
	JSON(ctx context.Context, req llmapi.JSONRequest) (*llmapi.JSONResponse, error)
}

var _ jsonClient = (*llmapi.Client)(nil)

// LLMConfig configures the LLM drafter.
type LLMConfig struct {
	// Timeout bounds one model call, retries included; a caller's earlier
	// deadline shortens it. Zero means DefaultLLMTimeout.
	Timeout time.Duration `yaml:"timeout"`
	// MaxArticles bounds the articles put in the prompt. Zero means 5.
	MaxArticles int `yaml:"max_articles"`
	// AgentName signs replies when the request has no AgentName; empty
	// means the reply language's "Support team".
	AgentName string `yaml:"agent_name"`
	// SendCustomerName puts the customer's first name in the prompt.
	// Default false: the model writes a {first_name} token that heard
	// fills in after the answer, so the name never leaves the process.
	SendCustomerName bool `yaml:"send_customer_name"`
	// SendCustomerAttributes puts the customer's plan and, for outreach,
	// the account signals noticed (usage, logins) in the prompt. Default
	// false.
	SendCustomerAttributes bool `yaml:"send_customer_attributes"`
}

// firstNameToken stands for the customer's first name in the model's
// answer when the name is not sent.
const firstNameToken = "{first_name}"

// Validate reports every problem with c, wrapping sdk.ErrInvalid.
func (c LLMConfig) Validate() error {
	var errs []error
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s: must not be negative", c.Timeout))
	}
	if c.MaxArticles < 0 || c.MaxArticles > 10 {
		errs = append(errs, fmt.Errorf("max_articles %d: want 0 (default 5) to 10", c.MaxArticles))
	}
	if strings.ContainsAny(c.AgentName, "\n\r") {
		errs = append(errs, errors.New("agent_name: must be one line"))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s llm config: %w: %w", ID, errors.Join(errs...), sdk.ErrInvalid)
	}
	return nil
}

// LLM drafts replies with a language model, grounded only in the matched
// articles, and falls back to another Drafter (normally the Template) on
// any failure. It is safe for concurrent use.
type LLM struct {
	client   jsonClient
	cfg      LLMConfig
	fallback Drafter
	redactor *redact.Redactor
	log      *slog.Logger
}

var _ Drafter = (*LLM)(nil)

// NewLLM returns an LLM drafter that asks client (usually an *llm.Client)
// and answers with fallback's draft when that fails. A nil logger discards
// logs.
func NewLLM(client jsonClient, cfg LLMConfig, fallback Drafter, logger *slog.Logger) (*LLM, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if client == nil || fallback == nil {
		return nil, fmt.Errorf("%s: client and fallback are required: %w", ID, sdk.ErrInvalid)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultLLMTimeout
	}
	if cfg.MaxArticles == 0 {
		cfg.MaxArticles = llmMaxArticlesDefault
	}
	return &LLM{client: client, cfg: cfg, fallback: fallback, redactor: redact.New(), log: logger.With("component", ID)}, nil
}

// errAnswer marks a model answer that failed validation; errTimeout a
// model call cut off by LLMConfig.Timeout.
var (
	errAnswer  = errors.New("answer rejected")
	errTimeout = errors.New("timed out")
)

// Draft asks the model for a draft and validates it; on any error, a
// rejected answer or a draft the rubric finds wrong (any Fault) it returns
// the fallback's draft, whose Reason then starts
// with why the model's draft was not used. It returns an error only for a
// request without a ticket or when the fallback fails too.
func (l *LLM) Draft(ctx context.Context, req Request) (Draft, error) {
	if req.Ticket == nil {
		return Draft{}, fmt.Errorf("%s: request without a ticket: %w", ID, sdk.ErrInvalid)
	}
	start := time.Now()
	d, err := l.ask(ctx, req)
	if err == nil {
		l.log.DebugContext(ctx, "llm draft accepted", "ticket_id", req.Ticket.Ref.ID, "situation", string(d.Situation),
			"rubric_total", d.Rubric.Total, "duration_ms", time.Since(start).Milliseconds())
		return d, nil
	}
	l.log.WarnContext(ctx, "llm draft not used; falling back", "ticket_id", req.Ticket.Ref.ID,
		"reason", failureLabel(err), "duration_ms", time.Since(start).Milliseconds(), "error", err)
	fd, ferr := l.fallback.Draft(ctx, req)
	if ferr != nil {
		return Draft{}, fmt.Errorf("%s: fallback after %w: %w", ID, err, ferr)
	}
	fd.Reason = "llm draft not used (" + failureLabel(err) + ": " + truncateRunes(err.Error(), 240) + "); " + fd.Reason
	return fd, nil
}

// ask makes one model call and validates the answer.
func (l *LLM) ask(ctx context.Context, req Request) (Draft, error) {
	c := cues(req)
	s, why := classify(req, c)
	f := gatherCues(req, s, l.cfg.MaxArticles, c)
	timeout := l.cfg.Timeout
	if deadline, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(deadline)-fallbackReserve)
	}
	if timeout <= 0 {
		return Draft{}, fmt.Errorf("no time left for the model call: %w", errTimeout)
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := l.client.JSON(cctx, llmapi.JSONRequest{
		System:     l.systemPrompt(f),
		User:       l.userPrompt(f, l.redactor.WithKnown([]string{req.Ticket.Requester.Name}, []string{req.Ticket.Requester.Email})),
		SchemaName: schemaName,
		Schema:     answerSchema(s),
	})
	if err != nil {
		if cctx.Err() != nil && ctx.Err() == nil {
			return Draft{}, fmt.Errorf("asking the model: %w after %s: %w", errTimeout, timeout, err)
		}
		return Draft{}, fmt.Errorf("asking the model: %w", err)
	}
	a, err := parseAnswer(resp.Content, f)
	if err != nil {
		return Draft{}, err
	}
	a.Draft = strings.ReplaceAll(a.Draft, firstNameToken, f.first)
	reg := detectRegister(withoutQuotes(a.Draft), f.lang).Register
	if reg == RegisterNeutral {
		reg = replyRegister(f.formal)
	}
	d := Draft{
		Text: a.Draft, Situation: s, Source: SourceLLM, Language: f.lang, Register: reg,
		Reason:    fmt.Sprintf("llm %s (%s); grounded in %d of %d articles", s, why, len(a.CitedURLs), len(f.articles)),
		CitedURLs: a.CitedURLs,
	}
	d.Rubric = score(d.Text, f)
	if len(d.Rubric.Faults) > 0 {
		// A wrong draft is worse than the template's: fall back.
		var why []string
		for _, fa := range d.Rubric.Faults {
			why = append(why, fa.Check+": "+fa.Reason)
		}
		return Draft{}, fmt.Errorf("%w: the draft is wrong (%s)", errAnswer, strings.Join(why, "; "))
	}
	return d, nil
}

// failureLabel is a short, stable label for why the model's draft was not
// used, for logs.
func failureLabel(err error) string {
	var ra *sdk.RetryAfterError
	switch {
	case errors.Is(err, errAnswer):
		return "invalid_answer"
	case errors.Is(err, errTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &ra):
		return "rate_limited"
	case errors.Is(err, sdk.ErrUnauthorized):
		return "unauthorized"
	case errors.Is(err, sdk.ErrInvalid):
		return "invalid_request_or_answer"
	case errors.Is(err, sdk.ErrUnavailable):
		return "unavailable"
	}
	return "error"
}

// answer is the model's structured output.
type answer struct {
	Draft     string   `json:"draft"`
	CitedURLs []string `json:"cited_urls"`
	Situation string   `json:"situation"`
}

// answerSchema is the strict output schema; the situation is fixed to the
// one classified.
func answerSchema(s Situation) json.RawMessage {
	schema := map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"required":             []string{"draft", "cited_urls", "situation"},
		"properties": map[string]any{
			"draft":      map[string]any{"type": "string", "description": "the reply to the customer, plain text"},
			"cited_urls": map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "description": "every article URL the draft links"},
			"situation":  map[string]any{"type": "string", "enum": []string{string(s)}},
		},
	}
	b, _ := json.Marshal(schema) // a map of strings and slices always marshals
	return b
}

// promiseRE finds a promise of money or credit: "we'll refund", "we have
// issued a refund", "wir erstatten", "nous vous rembourserons", "le
// reembolsaremos".
var promiseRE = regexp.MustCompile(`(?i)((we|i)('ll| will|'ve| have| are going to| can)\s+(\w+\s+){0,2}(refund|credit|reimburs|compensat|waive|discount)\w*|` +
	`(refund|credit)\s+(has been|was|will be)\s+(issued|processed|applied|sent|added)|` +
	`(erstatten|gutschreiben|zurücküberweisen)\s+wir|wir\s+(erstatten|schreiben\s+\w+\s+gut|überweisen)|` +
	`(nous\s+(vous\s+|te\s+)?rembourserons|nous\s+(vous\s+|te\s+)?avons\s+remboursé|un\s+avoir\s+(sera|a\s+été))|` +
	`(le\s+|te\s+)?(reembolsaremos|abonaremos|hemos\s+reembolsado|compensaremos))`)

// parseAnswer decodes and validates the model's answer against the
// request: a non-empty draft of bounded length, the requested situation,
// every cited URL one of the articles and present in the text, no other
// link in the text, and no promise of money or credit unless the request
// approves some.
func parseAnswer(content json.RawMessage, f *facts) (answer, error) {
	var a answer
	dec := json.NewDecoder(bytes.NewReader(content))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return answer{}, fmt.Errorf("%w: decoding: %w", errAnswer, err)
	}
	a.Draft = strings.TrimSpace(a.Draft)
	allowed := map[string]bool{}
	for _, ar := range f.articles {
		allowed[ar.URL] = true
	}
	switch {
	case a.Draft == "":
		return answer{}, fmt.Errorf("%w: empty draft", errAnswer)
	case utf8.RuneCountInString(a.Draft) > maxDraftChars:
		return answer{}, fmt.Errorf("%w: draft of %d characters, over %d", errAnswer, utf8.RuneCountInString(a.Draft), maxDraftChars)
	case a.Situation != string(f.situation):
		return answer{}, fmt.Errorf("%w: situation %q, want %q", errAnswer, a.Situation, f.situation)
	}
	var cited []string
	for _, u := range a.CitedURLs {
		u = strings.TrimSpace(u)
		switch {
		case !allowed[u]:
			return answer{}, fmt.Errorf("%w: cites %s, which is not one of the matched articles", errAnswer, u)
		case !strings.Contains(a.Draft, u):
			return answer{}, fmt.Errorf("%w: cites %s but the draft does not link it", errAnswer, u)
		}
		if !slices.Contains(cited, u) {
			cited = append(cited, u)
		}
	}
	for _, u := range urlRE.FindAllString(a.Draft, -1) {
		if !allowed[u] {
			return answer{}, fmt.Errorf("%w: the draft links %s, which is not one of the matched articles", errAnswer, u)
		}
		if !slices.Contains(cited, u) {
			cited = append(cited, u)
		}
	}
	if strings.TrimSpace(f.req.Compensation) == "" && strings.TrimSpace(f.req.RetentionOffer) == "" {
		if m := promiseRE.FindString(a.Draft); m != "" {
			return answer{}, fmt.Errorf("%w: promises money or credit (%q) the request does not approve", errAnswer, m)
		}
	}
	a.CitedURLs = cited
	return a, nil
}

// languageNames name the reply languages for the prompt.
var languageNames = map[string]string{"en": "English", "de": "German", "fr": "French", "es": "Spanish"}

// shapes are the policy's slots (docs/policy.md, "Replies: the HEARD method") of each situation, for the prompt.
var shapes = map[Situation]string{
	SituationBug:      "thank them and name the specific issue; say you are investigating; what was found so far (only from the articles); numbered next steps: what we do, what they can expect, when the next update comes; a proactive tip for their use case",
	SituationHowTo:    "numbered, specific steps taken from the articles; a related tip; invite more detail if the steps do not fit their workflow",
	SituationFeature:  "restate the idea; say it is not available today; 2–3 workarounds or integrations, only from the articles; say it is logged with the product team",
	SituationBilling:  "what their message and account show (amount, date, plan); the resolution or the check being made; a step to prevent recurrence; when they will hear back",
	SituationAngry:    "validate their experience; numbered immediate, follow-up and prevention actions; compensation only if approved below; personal ownership and a specific update time",
	SituationOutreach: "the signal noticed; a check-in on whether the product still delivers value; 2–3 concrete helps (a call, a guide from the articles, a review of their setup); no pressure",
	SituationCancel:   "confirm the cancellation request is received; answer the reason they give (price, a missing feature, a bad experience, a competitor, changed needs) or ask for it; the retention offer below if any; make leaving easy (nothing else to do, a pause instead, when the cancellation is confirmed); never mention a charge they did not mention",
	SituationSecurity: "thank them for the report; say it went straight to the security team; ask them not to share details publicly and give no details of the issue yourself; numbered next steps with when they will hear back; no outage empathy, no request to reproduce, no articles",
	SituationLegal:    "a neutral thank-you; acknowledge it matters to them without admitting fault, liability or a mistake and without apologising for the facts; say the colleagues responsible review it; when they will hear back; invite documents; no compensation, no articles",
	SituationRepeat:   "acknowledge the problem came back (repeat the count they gave, e.g. the third time this month); apologise that it returned; say what is different this time (earlier reports linked, a senior colleague following it until the cause is fixed); numbered next steps with the update time",
	SituationUnknown:  "say honestly that there is no ready answer yet and that you would rather check than guess; who looks at it; numbered next steps with when they will hear back; list articles only as ones that may help, never quote steps from them",
}

func (l *LLM) systemPrompt(f *facts) string {
	register := "casual and warm"
	if f.formal {
		register = "formal and courteous"
	}
	var b strings.Builder
	b.WriteString("You draft the first reply a support agent will review and send to a customer.\n")
	b.WriteString("Follow the HEARD method, in this order, one short paragraph or list each:\n")
	b.WriteString("H (Hear): restate their specific problem with the details they gave.\n")
	b.WriteString("E (Empathize): acknowledge the impact on them, with no blame.\n")
	b.WriteString("A (Act): say what is being done.\n")
	b.WriteString("R (Resolve): the solution or concrete next steps as a numbered list, with the timeline given below.\n")
	b.WriteString("D (Delight): one extra: a tip starting with \"Tip:\" or a related article.\n\n")
	b.WriteString("Rules:\n")
	b.WriteString("- Use only facts from the ARTICLES and the ticket. Never invent features, steps, prices, dates, policies or links.\n")
	b.WriteString("- When you use an article, link it in the text as \"Title — URL\" with the URL exactly as given, and list every linked URL in cited_urls. Link no other URL.\n")
	b.WriteString("- Quote steps only from an article marked \"Answers the question: yes\". If no article answers a question, say the team will follow up with the details by the timeline given.\n")
	if comp := strings.TrimSpace(f.req.Compensation); comp != "" {
		fmt.Fprintf(&b, "- The team has approved this compensation, which you may offer exactly as stated: %s.\n", comp)
	} else {
		b.WriteString("- Do not promise or offer refunds, credits, discounts or compensation.\n")
	}
	if offer := strings.TrimSpace(f.req.RetentionOffer); offer != "" && (f.situation == SituationBilling || f.situation == SituationCancel) {
		fmt.Fprintf(&b, "- If they want to cancel, you may offer: %s.\n", offer)
	}
	fmt.Fprintf(&b, "- Write in %s, in a %s register, matching how the customer writes.\n", languageNames[f.lang], register)
	switch {
	case f.first != "" && l.cfg.SendCustomerName:
		fmt.Fprintf(&b, "- Address the customer by their first name, %s.\n", f.first)
	case f.first != "":
		fmt.Fprintf(&b, "- Address the customer by their first name: write the exact token %s where the name goes; it is filled in later.\n", firstNameToken)
	}
	fmt.Fprintf(&b, "- Sign off as: %s\n", f.agent(l.cfg.AgentName))
	b.WriteString("- Answer every question the customer asked. Short sentences, no jargon, at most one exclamation mark.\n")
	fmt.Fprintf(&b, "- The situation is %q: %s.\n", f.situation, shapes[f.situation])
	fmt.Fprintf(&b, "- Set \"situation\" to %q.\n", f.situation)
	return b.String()
}

// userPrompt is the material: the ticket (redacted), the timeline and the
// articles. The customer's name and attributes are not sent unless
// configured.
func (l *LLM) userPrompt(f *facts, r *redact.Redactor) string {
	var b strings.Builder
	fmt.Fprintf(&b, "TICKET\nSubject: %s\n", r.Redact(oneLine(f.subject)))
	if p := f.plan(); p != "" && l.cfg.SendCustomerAttributes {
		fmt.Fprintf(&b, "Customer plan: %s\n", r.Redact(p))
	}
	if f.req.Sentiment != "" {
		fmt.Fprintf(&b, "Customer sentiment: %s\n", f.req.Sentiment)
	}
	if f.situation == SituationOutreach && l.cfg.SendCustomerAttributes {
		if sig := f.outreachSignals(); len(sig) > 0 {
			fmt.Fprintf(&b, "Signals noticed: %s\n", strings.Join(sig, "; "))
		}
	}
	msg := r.Redact(f.msg)
	if utf8.RuneCountInString(msg) > defaultMessageChars {
		msg = string([]rune(msg)[:defaultMessageChars]) + "…"
	}
	fmt.Fprintf(&b, "Latest customer message:\n<<<\n%s\n>>>\n\n", msg)
	fmt.Fprintf(&b, "TIMELINE\nPromise the next update by: %s\n\n", f.dueText)
	b.WriteString("ARTICLES\n")
	if len(f.articles) == 0 {
		b.WriteString("(none matched)\n")
	}
	if len(f.articles) == 0 && len(f.req.PastReplies) > 0 {
		b.WriteString("\nPAST REPLIES (how agents answered similar solved tickets; reuse only steps that fit this question; never mention other customers or tickets)\n")
		for i, p := range f.req.PastReplies {
			if i == 3 {
				break
			}
			fmt.Fprintf(&b, "[P%d] Subject: %s\nReply: %s\n", i+1, r.Redact(oneLine(p.Subject)), truncateRunes(r.Redact(oneLine(p.Reply)), defaultSnippetChars))
		}
	}
	for i, a := range f.articles {
		snip := oneLine(a.Snippet)
		if utf8.RuneCountInString(snip) > defaultSnippetChars {
			snip = string([]rune(snip)[:defaultSnippetChars]) + "…"
		}
		answers := "no: may help, do not quote its steps"
		if a.Answer >= f.threshold {
			answers = "yes"
		}
		fmt.Fprintf(&b, "[%d] Title: %s\nURL: %s\nAnswers the question: %s\nContent: %s\n", i+1, oneLine(a.Title), a.URL, answers, snip)
	}
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// truncateRunes cuts s to at most n runes, marking the cut with "…".
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
