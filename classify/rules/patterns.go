package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/policy"
	"github.com/heardhq/heard/sdk"
)

// The patterns file, as written. See patterns.yaml for what each key does.
type fileSpec struct {
	Version     int            `yaml:"version"`
	Defaults    defaultsSpec   `yaml:"defaults"`
	Settings    settingsSpec   `yaml:"settings"`
	Text        textSpec       `yaml:"text"`
	Negation    negationSpec   `yaml:"negation"`
	Sentiment   sentimentSpec  `yaml:"sentiment"`
	Languages   []languageSpec `yaml:"languages"`
	Currency    currencySpec   `yaml:"currency"`
	Competitors competitorSpec `yaml:"competitors"`
	Rules       []ruleSpec     `yaml:"rules"`
}

type defaultsSpec struct {
	Priority   string  `yaml:"priority"`
	Tag        string  `yaml:"tag"`
	Language   string  `yaml:"language"`
	Confidence float64 `yaml:"confidence"`
}

type settingsSpec struct {
	SubjectWeight         float64   `yaml:"subject_weight"`
	MessageWeights        []float64 `yaml:"message_weights"`
	MaxMessages           int       `yaml:"max_messages"`
	MaxMessageBytes       int       `yaml:"max_message_bytes"`
	MaxTicketBytes        int       `yaml:"max_ticket_bytes"`
	Gap                   int       `yaml:"gap"`
	PriorityThreshold     float64   `yaml:"priority_threshold"`
	SecondaryTagThreshold float64   `yaml:"secondary_tag_threshold"`
	SignalThreshold       float64   `yaml:"signal_threshold"`
	SentimentThreshold    float64   `yaml:"sentiment_threshold"`
	RecentTicketsRepeat   float64   `yaml:"recent_tickets_repeat"`
	TagFocus              float64   `yaml:"tag_focus"`
	LanguageMinEvidence   float64   `yaml:"language_min_evidence"`
	LanguageCharWeight    float64   `yaml:"language_char_weight"`
}

type textSpec struct {
	Elisions []string `yaml:"elisions"`
	GapStops []string `yaml:"gap_stops"`
}

type negationSpec struct {
	Window             int      `yaml:"window"`
	Cues               []string `yaml:"cues"`
	HypotheticalWindow int      `yaml:"hypothetical_window"`
	Hypothetical       []string `yaml:"hypothetical"`
	Breakers           []string `yaml:"breakers"`
}

type sentimentSpec struct {
	Shouting    shoutingSpec    `yaml:"shouting"`
	Exclamation exclamationSpec `yaml:"exclamation"`
	Acronyms    []string        `yaml:"acronyms"`
}

type shoutingSpec struct {
	MinWords int     `yaml:"min_words"`
	MinRatio float64 `yaml:"min_ratio"`
	MinRun   int     `yaml:"min_run"`
	Weight   float64 `yaml:"weight"`
}

type exclamationSpec struct {
	MinRun int     `yaml:"min_run"`
	Weight float64 `yaml:"weight"`
}

type languageSpec struct {
	Code      string   `yaml:"code"`
	Stopwords []string `yaml:"stopwords"`
	Chars     string   `yaml:"chars"`
}

type currencySpec struct {
	Symbols []string `yaml:"symbols"`
	Words   []string `yaml:"words"`
}

type competitorSpec struct {
	Window        int                `yaml:"window"`
	SwitchWeight  float64            `yaml:"switch_weight"`
	MentionWeight float64            `yaml:"mention_weight"`
	Tags          map[string]float64 `yaml:"tags"`
	Switching     []string           `yaml:"switching"`
	Origin        []string           `yaml:"origin"`
	Integration   []string           `yaml:"integration"`
	Names         []competitorName   `yaml:"names"`
}

type competitorName struct {
	Name     string   `yaml:"name"`
	Phrases  []string `yaml:"phrases"`
	NeedsCue bool     `yaml:"needs_cue"`
}

type ruleSpec struct {
	Name           string             `yaml:"name"`
	Label          string             `yaml:"label"`
	Weight         float64            `yaml:"weight"`
	Priority       string             `yaml:"priority"`
	PriorityWeight float64            `yaml:"priority_weight"`
	Tags           map[string]float64 `yaml:"tags"`
	Signals        []string           `yaml:"signals"`
	Sentiment      string             `yaml:"sentiment"`
	Negatable      *bool              `yaml:"negatable"`
	Vetoes         []string           `yaml:"vetoes"`
	QuestionWeight float64            `yaml:"question_weight"`
	Phrases        []string           `yaml:"phrases"`
	Patterns       []string           `yaml:"patterns"`
}

// Signals a rule can raise, in output order.
const (
	sigCancel = iota
	sigCompetitor
	sigDowngrade
	sigLegal
	sigRefund
	sigSecurity
	sigOutage
	sigRepeat
	sigExecutive
	nSignals
)

// signalNames are the names rules use in the patterns file, by signal.
func signalNames() [nSignals]string {
	var out [nSignals]string
	for i, sg := range policy.Signals() {
		out[i] = sg.Name
	}
	return out
}

// signalFields are the sdk field names, by signal.
func signalFields() [nSignals]string {
	var out [nSignals]string
	copy(out[:], policy.SignalFields())
	return out
}

// Sentiment polarities a rule can carry.
const (
	sentAngry = iota
	sentNegative
	sentPositive
	nSent
)

func sentimentNames() [nSent]string {
	return [nSent]string{sdk.SentimentAngry, sdk.SentimentNegative, sdk.SentimentPositive}
}

// model is a compiled patterns file. It is immutable and shared.
type model struct {
	tax    []Tag
	tagIdx map[string]int

	set      settings
	defaults defaults
	shout    shoutingSpec
	exclaim  exclamationSpec

	lex       lexicon
	phrases   []phrase
	cueIdx    phraseIndex
	mainIdx   phraseIndex
	rules     []rule
	comps     []competitor
	compSet   competitorSettings
	regexed   []int // rules with patterns
	vetoers   []int // rules with vetoes
	langs     []string
	langChars map[rune]uint16

	elisions []string
	acronyms map[string]struct{}
	symbols  [][]byte
	curWords map[string]struct{}
}

type settings struct {
	subjectWeight, priorityThreshold, secondaryThreshold     float64
	signalThreshold, sentimentThreshold, recentRepeat        float64
	tagFocus                                                 float64
	languageMinEvidence, languageCharWeight                  float64
	messageWeights                                           []float64
	maxMessages, maxMessageBytes, gap, negWindow, hypoWindow int
	maxTicketBytes                                           int
}

type defaults struct {
	priority   int
	tag        int
	language   string
	confidence float64
}

type rule struct {
	name, label    string
	weight         float64
	priority       int // 0..3, -1 none
	wPriority      float64
	tags           []tagWeight
	signals        uint16
	sentiment      int // -1 none
	negatable      bool
	questionWeight float64
	regexes        []*regexp.Regexp
	vetoes         []int // rules this rule silences when it matches
}

type tagWeight struct {
	tag int
	w   float64
}

type competitor struct {
	name     string
	needsCue bool
}

type competitorSettings struct {
	window                      int
	switchWeight, mentionWeight float64
	tags                        []tagWeight
}

// compiler carries the state of one compile: the source for line numbers,
// the problems found, and the lexicon being built.
type compiler struct {
	file     string
	root     yaml.Node
	problems []error
	lex      *lexBuilder
	bare     *model // tokenizes pattern words: elisions only
	m        *model
}

// errf records a problem at the line of the node at path.
func (c *compiler) errf(path []any, format string, args ...any) {
	c.problems = append(c.problems, fmt.Errorf("%s:%d: %s", c.file, lineOf(&c.root, path), fmt.Sprintf(format, args...)))
}

// p builds a node path for errf.
func p(path ...any) []any { return path }

// compile decodes, validates and compiles a patterns file against a
// taxonomy. file names the source in error messages.
func compile(data []byte, file string, taxonomy policy.Taxonomy) (*model, error) {
	return compileWith(data, file, taxonomy, overlay{})
}

// compileWith is compile with the team's overlay put on the file first.
func compileWith(data []byte, file string, taxonomy policy.Taxonomy, ov overlay) (*model, error) {
	tagIdx, err := taxonomyIndex(taxonomy)
	if err != nil {
		return nil, err
	}
	var spec fileSpec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&spec); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("loading patterns %s: the file is empty: %w", file, sdk.ErrInvalid)
		}
		return nil, fmt.Errorf("loading patterns: %w: %w", sdk.ErrInvalid, decodeError(file, err))
	}
	c := &compiler{file: file, lex: newLexBuilder()}
	if err := yaml.Unmarshal(data, &c.root); err != nil {
		return nil, fmt.Errorf("loading patterns: %w: %w", sdk.ErrInvalid, decodeError(file, err))
	}
	c.m = &model{tax: slices.Clone(taxonomy), tagIdx: tagIdx}
	ov.apply(&spec)
	c.compile(&spec)
	if len(c.problems) > 0 {
		return nil, fmt.Errorf("loading patterns: %w: %w", sdk.ErrInvalid, errors.Join(c.problems...))
	}
	return c.m, nil
}

// taxonomyIndex validates a taxonomy and maps names to positions. An empty
// taxonomy is the default.
func taxonomyIndex(tax policy.Taxonomy) (map[string]int, error) {
	tax = tax.OrDefault()
	if err := tax.Validate(); err != nil {
		return nil, err
	}
	idx := make(map[string]int, len(tax))
	for i, t := range tax {
		idx[t.Name] = i
	}
	return idx, nil
}

func (c *compiler) compile(spec *fileSpec) {
	m := c.m
	if spec.Version != 1 {
		c.errf(p("version"), "version %d: want 1", spec.Version)
	}
	c.settings(spec)
	// Tokenizing rules first: pattern words are folded and split like text.
	m.elisions = make([]string, 0, len(spec.Text.Elisions))
	for i, e := range spec.Text.Elisions {
		f := fold(strings.TrimSpace(e))
		if f == "" || strings.ContainsAny(f, " '") {
			c.errf(p("text", "elisions", i), "elision %q: want the letters before the apostrophe, e.g. \"l\"", e)
			continue
		}
		m.elisions = append(m.elisions, f)
	}
	c.bare = &model{set: settings{maxMessageBytes: 1 << 20, maxTicketBytes: 1 << 20}, exclaim: exclamationSpec{MinRun: 3}, elisions: m.elisions}

	c.defaults(spec)
	c.sentiment(spec)
	c.languages(spec)
	c.currency(spec)
	c.cues(spec)
	c.competitors(spec)
	c.rules(spec)

	m.lex = c.lex.build()
	m.cueIdx = buildIndex(m.phrases, c.lex.n, func(p *phrase) bool { return p.kind == ownCue })
	m.mainIdx = buildIndex(m.phrases, c.lex.n, func(p *phrase) bool { return p.kind != ownCue })
}

func (c *compiler) settings(spec *fileSpec) {
	s := spec.Settings
	m := c.m
	m.set = settings{
		subjectWeight:       orDefault(s.SubjectWeight, 0.9),
		priorityThreshold:   orDefault(s.PriorityThreshold, 0.5),
		secondaryThreshold:  orDefault(s.SecondaryTagThreshold, 0.4),
		signalThreshold:     orDefault(s.SignalThreshold, 0.3),
		sentimentThreshold:  orDefault(s.SentimentThreshold, 0.5),
		recentRepeat:        orDefault(s.RecentTicketsRepeat, 0.35),
		tagFocus:            orDefault(s.TagFocus, 1),
		languageMinEvidence: orDefault(s.LanguageMinEvidence, 2),
		languageCharWeight:  orDefault(s.LanguageCharWeight, 1),
		messageWeights:      s.MessageWeights,
		maxMessages:         orDefault(s.MaxMessages, 6),
		maxMessageBytes:     orDefault(s.MaxMessageBytes, 8192),
		maxTicketBytes:      orDefault(s.MaxTicketBytes, 24576),
		gap:                 orDefault(s.Gap, 3),
		negWindow:           orDefault(spec.Negation.Window, 3),
		hypoWindow:          orDefault(spec.Negation.HypotheticalWindow, 4),
	}
	if len(m.set.messageWeights) == 0 {
		m.set.messageWeights = []float64{1, 0.7, 0.55, 0.45}
	}
	unit := func(path []any, v float64) {
		if v <= 0 || v > 1 {
			c.errf(path, "%s %g: want a number in (0, 1]", path[len(path)-1], v)
		}
	}
	unit(p("settings", "subject_weight"), m.set.subjectWeight)
	unit(p("settings", "priority_threshold"), m.set.priorityThreshold)
	unit(p("settings", "secondary_tag_threshold"), m.set.secondaryThreshold)
	unit(p("settings", "signal_threshold"), m.set.signalThreshold)
	unit(p("settings", "sentiment_threshold"), m.set.sentimentThreshold)
	unit(p("settings", "recent_tickets_repeat"), m.set.recentRepeat)
	unit(p("settings", "tag_focus"), m.set.tagFocus)
	for i, w := range m.set.messageWeights {
		unit(p("settings", "message_weights", i), w)
	}
	if m.set.languageMinEvidence < 0 || m.set.languageCharWeight < 0 {
		c.errf(p("settings"), "language_min_evidence and language_char_weight must not be negative")
	}
	ints := []struct {
		path    []any
		v, l, h int
	}{
		{p("settings", "max_messages"), m.set.maxMessages, 1, 100},
		{p("settings", "max_message_bytes"), m.set.maxMessageBytes, 256, 1 << 20},
		{p("settings", "max_ticket_bytes"), m.set.maxTicketBytes, 256, 1 << 22},
		{p("settings", "gap"), m.set.gap, 1, 8},
		{p("negation", "window"), m.set.negWindow, 1, 10},
		{p("negation", "hypothetical_window"), m.set.hypoWindow, 1, 10},
	}
	for _, i := range ints {
		if i.v < i.l || i.v > i.h {
			c.errf(i.path, "%s %d: want %d..%d", i.path[len(i.path)-1], i.v, i.l, i.h)
		}
	}
}

func orDefault[T int | float64](v, d T) T {
	if v == 0 {
		return d
	}
	return v
}

func (c *compiler) defaults(spec *fileSpec) {
	d := spec.Defaults
	m := c.m
	m.defaults = defaults{priority: 3, language: "en", confidence: orDefault(d.Confidence, 0.25)}
	if d.Priority != "" {
		if l, ok := parseLevel(d.Priority); ok {
			m.defaults.priority = l
		} else {
			c.errf(p("defaults", "priority"), "priority %q: want one of P0, P1, P2, P3", d.Priority)
		}
	}
	tag := d.Tag
	if tag == "" {
		tag = "how-to"
	}
	if i, ok := m.tagIdx[tag]; ok {
		m.defaults.tag = i
	} else {
		c.errf(p("defaults", "tag"), "default tag %q is not in the taxonomy (%s)", tag, c.tagList())
	}
	if d.Language != "" {
		m.defaults.language = d.Language
	}
	if d.Confidence < 0 || d.Confidence > 1 {
		c.errf(p("defaults", "confidence"), "confidence %g: want a number in [0, 1]", d.Confidence)
	}
}

func parseLevel(s string) (int, bool) {
	pr, err := sdk.ParsePriority(s)
	if err != nil {
		return 0, false
	}
	return int(pr[1] - '0'), true
}

func (c *compiler) tagList() string {
	names := make([]string, len(c.m.tax))
	for i, t := range c.m.tax {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

func (c *compiler) sentiment(spec *fileSpec) {
	s := spec.Sentiment
	m := c.m
	m.shout = shoutingSpec{
		MinWords: orDefault(s.Shouting.MinWords, 3),
		MinRatio: orDefault(s.Shouting.MinRatio, 0.3),
		MinRun:   orDefault(s.Shouting.MinRun, 4),
		Weight:   orDefault(s.Shouting.Weight, 0.75),
	}
	m.exclaim = exclamationSpec{MinRun: orDefault(s.Exclamation.MinRun, 3), Weight: orDefault(s.Exclamation.Weight, 0.55)}
	if m.shout.MinWords < 1 || m.shout.MinRun < 1 || m.exclaim.MinRun < 2 {
		c.errf(p("sentiment"), "min_words and min_run must be at least 1, exclamation.min_run at least 2")
	}
	for _, v := range []float64{m.shout.MinRatio, m.shout.Weight, m.exclaim.Weight} {
		if v <= 0 || v > 1 {
			c.errf(p("sentiment"), "ratios and weights must be in (0, 1]")
			break
		}
	}
	m.acronyms = make(map[string]struct{}, len(s.Acronyms))
	for i, a := range s.Acronyms {
		w := c.words(a)
		if len(w) != 1 {
			c.errf(p("sentiment", "acronyms", i), "acronym %q: want one word", a)
			continue
		}
		m.acronyms[w[0]] = struct{}{}
	}
}

func (c *compiler) languages(spec *fileSpec) {
	m := c.m
	if len(spec.Languages) > 16 {
		c.errf(p("languages"), "%d languages: at most 16", len(spec.Languages))
		return
	}
	m.langChars = make(map[rune]uint16)
	for li, l := range spec.Languages {
		if !isLangCode(l.Code) {
			c.errf(p("languages", li, "code"), "language code %q: want an ISO 639-1 code such as \"de\"", l.Code)
		}
		if slices.Contains(m.langs, l.Code) {
			c.errf(p("languages", li, "code"), "language %q listed twice", l.Code)
		}
		m.langs = append(m.langs, l.Code)
		for wi, w := range l.Stopwords {
			words := c.words(w)
			if len(words) != 1 {
				c.errf(p("languages", li, "stopwords", wi), "stopword %q: want one word", w)
				continue
			}
			c.lex.stopword(words[0], li)
		}
		for _, r := range l.Chars {
			if r < 0x80 || r == ' ' {
				c.errf(p("languages", li, "chars"), "chars: %q is plain ASCII; list only characters typical of the language", r)
				continue
			}
			m.langChars[r] |= 1 << li
			if u := unicode.ToUpper(r); u >= 0x80 {
				m.langChars[u] |= 1 << li
			}
		}
	}
	if !slices.Contains(m.langs, m.defaults.language) {
		c.errf(p("defaults", "language"), "default language %q is not among the languages (%s)", m.defaults.language, strings.Join(m.langs, ", "))
	}
}

func isLangCode(s string) bool {
	return len(s) == 2 && 'a' <= s[0] && s[0] <= 'z' && 'a' <= s[1] && s[1] <= 'z'
}

func (c *compiler) currency(spec *fileSpec) {
	m := c.m
	for i, s := range spec.Currency.Symbols {
		f := fold(s)
		if f == "" || strings.IndexFunc(f, func(r rune) bool { return isWordRune(r) || r == ' ' }) >= 0 {
			c.errf(p("currency", "symbols", i), "symbol %q: want a sign such as \"$\" with no letters, digits or spaces", s)
			continue
		}
		m.symbols = append(m.symbols, []byte(f))
	}
	m.curWords = make(map[string]struct{}, len(spec.Currency.Words))
	for i, w := range spec.Currency.Words {
		words := c.words(w)
		if len(words) != 1 || !isLetters(words[0]) {
			c.errf(p("currency", "words", i), "currency word %q: want one word of letters", w)
			continue
		}
		m.curWords[words[0]] = struct{}{}
	}
}

func isLetters(s string) bool {
	for _, r := range s {
		if !isWordRune(r) || ('0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

// cues compiles the phrase lists that set token flags.
func (c *compiler) cues(spec *fileSpec) {
	lists := []struct {
		path  []any
		items []string
		flag  uint16
	}{
		{p("negation", "cues"), spec.Negation.Cues, fNeg},
		{p("negation", "hypothetical"), spec.Negation.Hypothetical, fHypo},
		{p("negation", "breakers"), spec.Negation.Breakers, fBreaker},
		{p("competitors", "switching"), spec.Competitors.Switching, fSwitch},
		{p("competitors", "origin"), spec.Competitors.Origin, fOrigin},
		{p("competitors", "integration"), spec.Competitors.Integration, fIntegr},
		{p("text", "gap_stops"), spec.Text.GapStops, fGapStop},
	}
	for _, l := range lists {
		for i, src := range l.items {
			c.addPhrase(append(slices.Clone(l.path), i), src, ownCue, int32(l.flag))
		}
	}
}

func (c *compiler) addPhrase(path []any, src string, kind uint8, owner int32) {
	slots, err := c.parsePhrase(src)
	if err != nil {
		c.errf(path, "%v", err)
		return
	}
	c.m.phrases = append(c.m.phrases, phrase{slots: slots, kind: kind, owner: owner, src: src})
}

func (c *compiler) tagWeights(path []any, tags map[string]float64) []tagWeight {
	var out []tagWeight
	for _, name := range slices.Sorted(maps.Keys(tags)) {
		w := tags[name]
		i, ok := c.m.tagIdx[name]
		switch {
		case !ok:
			c.errf(append(slices.Clone(path), name), "tag %q is not in the taxonomy (%s)", name, c.tagList())
			continue
		case w <= 0 || w > 1:
			c.errf(append(slices.Clone(path), name), "tag %q weight %g: want a number in (0, 1]", name, w)
			continue
		}
		out = append(out, tagWeight{tag: i, w: w})
	}
	return out
}

func (c *compiler) competitors(spec *fileSpec) {
	cs := spec.Competitors
	m := c.m
	m.compSet = competitorSettings{
		window:        orDefault(cs.Window, 6),
		switchWeight:  orDefault(cs.SwitchWeight, 0.85),
		mentionWeight: orDefault(cs.MentionWeight, 0.45),
		tags:          c.tagWeights(p("competitors", "tags"), cs.Tags),
	}
	if m.compSet.window < 1 || m.compSet.window > 20 {
		c.errf(p("competitors", "window"), "window %d: want 1..20", m.compSet.window)
	}
	for _, v := range []float64{m.compSet.switchWeight, m.compSet.mentionWeight} {
		if v <= 0 || v > 1 {
			c.errf(p("competitors"), "switch_weight and mention_weight must be in (0, 1]")
			break
		}
	}
	seen := make(map[string]bool)
	for i, n := range cs.Names {
		if strings.TrimSpace(n.Name) == "" || seen[n.Name] {
			c.errf(p("competitors", "names", i, "name"), "competitor name %q: want a unique, non-empty name", n.Name)
		}
		seen[n.Name] = true
		if len(n.Phrases) == 0 {
			c.errf(p("competitors", "names", i), "competitor %q has no phrases", n.Name)
		}
		m.comps = append(m.comps, competitor{name: n.Name, needsCue: n.NeedsCue})
		for j, src := range n.Phrases {
			c.addPhrase(p("competitors", "names", i, "phrases", j), src, ownCompetitor, int32(i))
		}
	}
}

func (c *compiler) rules(spec *fileSpec) {
	m := c.m
	names := make(map[string]bool)
	sigIdx := make(map[string]int)
	for i, n := range signalNames() {
		sigIdx[n] = i
	}
	for ri, rs := range spec.Rules {
		at := func(keys ...any) []any { return append(p("rules", ri), keys...) }
		if rs.Name == "" || names[rs.Name] {
			c.errf(at("name"), "rule name %q: want a unique, non-empty name", rs.Name)
		}
		names[rs.Name] = true
		r := rule{name: rs.Name, label: rs.Label, weight: rs.Weight, priority: -1, sentiment: -1, negatable: true, questionWeight: orDefault(rs.QuestionWeight, 1)}
		if r.label == "" {
			r.label = rs.Name
		}
		if rs.Negatable != nil {
			r.negatable = *rs.Negatable
		}
		if rs.Weight <= 0 || rs.Weight > 1 {
			c.errf(at("weight"), "rule %q: weight %g: want a number in (0, 1]", rs.Name, rs.Weight)
		}
		if r.questionWeight <= 0 || r.questionWeight > 1 {
			c.errf(at("question_weight"), "rule %q: question_weight %g: want a number in (0, 1]", rs.Name, rs.QuestionWeight)
		}
		if rs.Priority != "" {
			l, ok := parseLevel(rs.Priority)
			if !ok {
				c.errf(at("priority"), "rule %q: priority %q: want one of P0, P1, P2, P3", rs.Name, rs.Priority)
			}
			r.priority = l
			r.wPriority = orDefault(rs.PriorityWeight, rs.Weight)
		} else if rs.PriorityWeight != 0 {
			c.errf(at("priority_weight"), "rule %q: priority_weight without priority", rs.Name)
		}
		if rs.PriorityWeight < 0 || rs.PriorityWeight > 1 {
			c.errf(at("priority_weight"), "rule %q: priority_weight %g: want a number in (0, 1]", rs.Name, rs.PriorityWeight)
		}
		r.tags = c.tagWeights(at("tags"), rs.Tags)
		for si, s := range rs.Signals {
			i, ok := sigIdx[s]
			if !ok {
				names := signalNames()
				c.errf(at("signals", si), "rule %q: unknown signal %q (want one of %s)", rs.Name, s, strings.Join(names[:], ", "))
				continue
			}
			r.signals |= 1 << i
		}
		if rs.Sentiment != "" {
			names := sentimentNames()
			i := slices.Index(names[:], rs.Sentiment)
			if i < 0 {
				c.errf(at("sentiment"), "rule %q: sentiment %q: want angry, negative or positive", rs.Name, rs.Sentiment)
			}
			r.sentiment = i
		}
		if r.priority < 0 && len(rs.Tags) == 0 && len(rs.Signals) == 0 && rs.Sentiment == "" && len(rs.Vetoes) == 0 {
			c.errf(at("name"), "rule %q has no effect: give it a priority, tags, signals, a sentiment or vetoes", rs.Name)
		}
		if len(rs.Phrases) == 0 && len(rs.Patterns) == 0 {
			c.errf(at("name"), "rule %q has no phrases or patterns", rs.Name)
		}
		for pi, src := range rs.Phrases {
			c.addPhrase(at("phrases", pi), src, ownRule, int32(ri))
		}
		for pi, src := range rs.Patterns {
			re, err := regexp.Compile(src)
			if err != nil {
				c.errf(at("patterns", pi), "rule %q: pattern %s: %v", rs.Name, strconv.Quote(src), err)
				continue
			}
			r.regexes = append(r.regexes, re)
		}
		if len(r.regexes) > 0 {
			m.regexed = append(m.regexed, ri)
		}
		m.rules = append(m.rules, r)
	}
	// Vetoes name rules anywhere in the file.
	idx := make(map[string]int, len(spec.Rules))
	for ri, rs := range spec.Rules {
		idx[rs.Name] = ri
	}
	for ri, rs := range spec.Rules {
		for vi, name := range rs.Vetoes {
			v, ok := idx[name]
			if !ok || v == ri {
				c.errf(p("rules", ri, "vetoes", vi), "rule %q: vetoes %q: want the name of another rule", rs.Name, name)
				continue
			}
			m.rules[ri].vetoes = append(m.rules[ri].vetoes, v)
		}
		if len(m.rules[ri].vetoes) > 0 {
			m.vetoers = append(m.vetoers, ri)
		}
	}
}

// lineOf returns the line of the node at path (mapping keys as strings,
// sequence indexes as ints), or of the deepest node found on the way.
func lineOf(root *yaml.Node, path []any) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, step := range path {
		switch k := step.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return line
			}
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					line, n, found = n.Content[i].Line, n.Content[i+1], true
					break
				}
			}
			if !found {
				return line
			}
		case int:
			if n.Kind != yaml.SequenceNode || k < 0 || k >= len(n.Content) {
				return line
			}
			n = n.Content[k]
			line = n.Line
		}
	}
	return line
}

// decodeError rewrites yaml.v3's errors as "file:line: message", one per
// problem, with unknown keys named as such.
func decodeError(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		errs := make([]error, 0, len(te.Errors))
		for _, msg := range te.Errors {
			errs = append(errs, locate(file, msg))
		}
		return errors.Join(errs...)
	}
	return locate(file, strings.TrimPrefix(err.Error(), "yaml: "))
}

// locate turns "line N: msg" into "file:N: msg", naming unknown keys.
func locate(file, msg string) error {
	rest, ok := strings.CutPrefix(msg, "line ")
	if !ok {
		return fmt.Errorf("%s: %s", file, msg)
	}
	num, text, ok := strings.Cut(rest, ": ")
	if !ok {
		return fmt.Errorf("%s: %s", file, msg)
	}
	if key, ok := strings.CutPrefix(text, "field "); ok {
		if k, _, ok := strings.Cut(key, " not found in type "); ok {
			text = fmt.Sprintf("unknown key %q", k)
		}
	}
	return fmt.Errorf("%s:%s: %s", file, num, text)
}
