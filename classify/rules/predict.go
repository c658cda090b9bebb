package rules

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heardhq/heard/sdk"
)

// contrib is one piece of evidence: a confidence and where it came from (a
// rule index, compSrc(competitor) or srcRecent).
type contrib struct {
	c   float64
	src int32
}

// evidence combines independent contributions with a noisy OR and keeps the
// strongest three for the reason.
type evidence struct {
	score float64
	top   [3]contrib
	n     int
}

func (e *evidence) add(c float64, src int32) {
	if c <= 0 {
		return
	}
	e.score += c - e.score*c
	pos := min(e.n, len(e.top))
	for pos > 0 && e.top[pos-1].c < c {
		pos--
	}
	if pos < len(e.top) {
		copy(e.top[pos+1:], e.top[pos:len(e.top)-1])
		e.top[pos] = contrib{c: c, src: src}
	}
	e.n++
}

// fieldSel answers which fields a request wants and their allowed values.
type fieldSel []sdk.FieldSpec

func (f fieldSel) want(name string) (allowed []string, ok bool) {
	if len(f) == 0 {
		return nil, true
	}
	for _, fs := range f {
		if fs.Name == name {
			return fs.Allowed, true
		}
	}
	return nil, false
}

func allows(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	for _, a := range list {
		if strings.EqualFold(a, v) {
			return true
		}
	}
	return false
}

func confidence(x float64) float64 {
	return math.Round(min(max(x, 0), 1)*1000) / 1000
}

func levelName(l int) string {
	switch l {
	case 0:
		return string(sdk.P0)
	case 1:
		return string(sdk.P1)
	case 2:
		return string(sdk.P2)
	}
	return string(sdk.P3)
}

func pred(field, value string, c float64, reason string) sdk.Prediction {
	return sdk.Prediction{Field: field, Value: value, Confidence: confidence(c), Reason: reason, Source: ID}
}

// predict turns the analysis in s into predictions for the fields req asks
// for.
func (m *model) predict(s *scratch, req *sdk.ClassifyRequest) []sdk.Prediction {
	sel := fieldSel(req.Fields)
	out := make([]sdk.Prediction, 0, 12)
	sent := m.sentiment(s)
	if al, ok := sel.want(sdk.FieldPriority); ok {
		out = m.priority(s, out, al, sent.value == sdk.SentimentAngry)
	}
	pal, pok := sel.want(sdk.FieldPrimaryTag)
	sal, sok := sel.want(sdk.FieldSecondaryTag)
	if pok || sok {
		out = m.tags(s, out, pal, pok, sal, sok)
	}
	if al, ok := sel.want(sdk.FieldSentiment); ok {
		out = sent.emit(out, al)
	}
	if al, ok := sel.want(sdk.FieldLanguage); ok {
		out = m.language(s, out, al)
	}
	return m.signals(s, out, sel)
}

// decision is a priority decision: the chosen level (-1: no evidence),
// whether it rests on weak evidence only, and the evidence by level.
type decision struct {
	level int
	weak  bool
	lv    [4]evidence
}

// decidePriority follows the triage order: the most severe allowed level
// whose evidence reaches the threshold wins; without one, the strongest
// weak level; with no evidence, level -1.
func (m *model) decidePriority(s *scratch, allowed []string) decision {
	d := decision{level: -1}
	for r := range m.rules {
		rl, h := &m.rules[r], &s.hits[r]
		if h.w > 0 && rl.priority >= 0 {
			d.lv[rl.priority].add(h.w*rl.wPriority, int32(r))
		}
	}
	for l := range d.lv {
		if allows(allowed, levelName(l)) && d.lv[l].score >= m.set.priorityThreshold {
			d.level = l
			return d
		}
	}
	best := 0.0
	for l := range d.lv {
		if allows(allowed, levelName(l)) && d.lv[l].score > best {
			best, d.level, d.weak = d.lv[l].score, l, true
		}
	}
	return d
}

// priority appends the priority prediction.
func (m *model) priority(s *scratch, out []sdk.Prediction, allowed []string, angry bool) []sdk.Prediction {
	ok := func(l int) bool { return allows(allowed, levelName(l)) }
	d := m.decidePriority(s, allowed)
	chosen := d.level
	var (
		conf float64
		b    strings.Builder
	)
	switch {
	case chosen < 0:
		for dist := 0; dist < 4 && chosen < 0; dist++ { // the allowed level nearest the default, less severe first
			for _, l := range []int{m.defaults.priority + dist, m.defaults.priority - dist} {
				if l >= 0 && l < 4 && ok(l) {
					chosen = l
					break
				}
			}
		}
		if chosen < 0 {
			return out
		}
		conf = m.defaults.confidence
		fmt.Fprintf(&b, "no priority rule matched; default %s (low confidence)", levelName(chosen))
	case d.weak:
		conf = 0.2 + 0.5*d.lv[chosen].score
		b.WriteString("weak evidence only: matched ")
		m.describe(&b, s, &d.lv[chosen], func(*rule) string { return " → " + levelName(chosen) })
	default:
		above := 0.0
		for l := range chosen {
			above = max(above, d.lv[l].score)
		}
		conf = d.lv[chosen].score * (1 - 0.5*above)
		b.WriteString("matched ")
		m.describe(&b, s, &d.lv[chosen], func(*rule) string { return " → " + levelName(chosen) })
	}
	m.describeSuppressed(&b, s, func(src int32) bool { return src >= 0 && m.rules[src].priority >= 0 && m.rules[src].priority <= chosen })
	if angry && chosen >= 2 {
		b.WriteString("; angry tone alone does not raise priority")
	}
	return append(out, pred(sdk.FieldPriority, levelName(chosen), conf, b.String()))
}

// tags picks the primary tag (highest evidence, or the default) and up to
// two secondary tags above the secondary threshold.
func (m *model) tags(s *scratch, out []sdk.Prediction, pAllowed []string, wantP bool, sAllowed []string, wantS bool) []sdk.Prediction {
	ev := s.tagEv
	for r := range m.rules {
		rl, h := &m.rules[r], &s.hits[r]
		if h.w == 0 {
			continue
		}
		for _, tw := range rl.tags {
			ev[tw.tag].add(h.w*rl.weight*tw.w, int32(r))
		}
	}
	for _, ch := range s.comps {
		for _, tw := range m.compSet.tags {
			ev[tw.tag].add(ch.w*tw.w, compSrc(ch.comp))
		}
	}
	m.focusTags(s, ev)
	primary := -1
	for t := range m.tax {
		if ev[t].score > 0 && allowsExact(pAllowed, m.tax[t].Name) && (primary < 0 || ev[t].score > ev[primary].score) {
			primary = t
		}
	}
	if primary < 0 {
		def := m.defaults.tag
		if !allowsExact(pAllowed, m.tax[def].Name) {
			def = slices.IndexFunc(m.tax, func(t Tag) bool { return allowsExact(pAllowed, t.Name) })
		}
		if wantP && def >= 0 {
			out = append(out, pred(sdk.FieldPrimaryTag, m.tax[def].Name, m.defaults.confidence,
				fmt.Sprintf("no tag rule matched; defaulting to %s (low confidence)", m.tax[def].Name)))
		}
		primary = def
	} else if wantP {
		second := 0.0
		for t := range m.tax {
			if t != primary && allowsExact(pAllowed, m.tax[t].Name) {
				second = max(second, ev[t].score)
			}
		}
		var b strings.Builder
		b.WriteString("matched ")
		m.describe(&b, s, &ev[primary], nil)
		out = append(out, pred(sdk.FieldPrimaryTag, m.tax[primary].Name, max(ev[primary].score-0.35*second, 0.05), b.String()))
	}
	if !wantS {
		return out
	}
	var picked [2]int
	n := 0
	for range picked {
		best := -1
		for t := range m.tax {
			if t == primary || (n > 0 && picked[0] == t) || ev[t].score < m.set.secondaryThreshold || !allowsExact(sAllowed, m.tax[t].Name) {
				continue
			}
			if best < 0 || ev[t].score > ev[best].score {
				best = t
			}
		}
		if best < 0 {
			break
		}
		picked[n] = best
		n++
		var b strings.Builder
		b.WriteString("matched ")
		m.describe(&b, s, &ev[best], nil)
		out = append(out, pred(sdk.FieldSecondaryTag, m.tax[best].Name, ev[best].score*0.9, b.String()))
	}
	return out
}

// focusTags scales down, on a P0 or P1 ticket, the tags that no rule
// deciding the priority supports, so the urgent issue names the ticket.
func (m *model) focusTags(s *scratch, ev []evidence) {
	if m.set.tagFocus >= 1 {
		return
	}
	d := m.decidePriority(s, nil)
	if d.level < 0 || d.level > 1 || d.weak {
		return
	}
	var supported uint64 // by tag index; taxonomies beyond 64 tags are not focused
	if len(m.tax) > 64 {
		return
	}
	for r := range m.rules {
		if rl := &m.rules[r]; s.hits[r].w > 0 && rl.priority == d.level {
			for _, tw := range rl.tags {
				supported |= 1 << tw.tag
			}
		}
	}
	for t := range ev {
		if supported&(1<<t) == 0 {
			ev[t].score *= m.set.tagFocus
		}
	}
}

func allowsExact(list []string, v string) bool {
	return len(list) == 0 || slices.Contains(list, v)
}

// sentimentResult is the decided sentiment with its fallbacks.
type sentimentResult struct {
	value  string
	conf   float64
	reason string
}

// emit appends the sentiment, falling back when the value is not allowed:
// angry to negative, anything to neutral.
func (r sentimentResult) emit(out []sdk.Prediction, allowed []string) []sdk.Prediction {
	v := r.value
	for !allows(allowed, v) {
		switch v {
		case sdk.SentimentAngry:
			v = sdk.SentimentNegative
		case sdk.SentimentNegative, sdk.SentimentPositive:
			v = sdk.SentimentNeutral
		default:
			return out
		}
	}
	reason := r.reason
	if v != r.value {
		reason += "; " + r.value + " is not allowed here"
	}
	return append(out, pred(sdk.FieldSentiment, v, r.conf, reason))
}

// sentiment weighs sentiment phrases, shouting and runs of "!!!": angry
// beats negative beats positive once over the threshold. Shouting alone
// does not make a clearly happy message angry.
func (m *model) sentiment(s *scratch) sentimentResult {
	var ev [nSent]evidence
	for r := range m.rules {
		rl, h := &m.rules[r], &s.hits[r]
		if h.w > 0 && rl.sentiment >= 0 {
			ev[rl.sentiment].add(h.w*rl.weight, int32(r))
		}
	}
	var typo evidence
	caps, bangs := 0, 0
	for i := range s.segs {
		seg := &s.segs[i]
		if seg.subject {
			continue
		}
		if seg.caps >= m.shout.MinWords && (float64(seg.caps) >= m.shout.MinRatio*float64(seg.words) || seg.maxRun >= m.shout.MinRun) {
			typo.add(seg.weight*m.shout.Weight, 0)
			caps += seg.caps
		}
		if seg.exclaim > 0 {
			typo.add(seg.weight*m.exclaim.Weight, 0)
			bangs += seg.exclaim
		}
	}
	thr := m.set.sentimentThreshold
	angryText, neg, pos := ev[sentAngry].score, ev[sentNegative].score, ev[sentPositive].score
	angry := angryText + typo.score - angryText*typo.score
	if angryText < thr && pos >= thr && neg < thr {
		angry, caps, bangs = angryText, 0, 0 // enthusiasm, not anger
	}
	var b strings.Builder
	describe := func(e *evidence, typography bool) {
		if e.n > 0 {
			b.WriteString("matched ")
			m.describe(&b, s, e, nil)
		}
		if !typography {
			return
		}
		if caps > 0 {
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "shouting: %d ALL-CAPS words", caps)
		}
		if bangs > 0 {
			if b.Len() > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%d run(s) of \"!!!\"", bangs)
		}
	}
	switch {
	case angry >= thr:
		describe(&ev[sentAngry], true)
		if neg > 0 {
			b.WriteString("; also ")
			describe(&ev[sentNegative], false)
		}
		return sentimentResult{sdk.SentimentAngry, angry, b.String()}
	case neg >= thr && pos < neg+0.15: // a complaint wrapped in praise is still a complaint
		describe(&ev[sentNegative], false)
		return sentimentResult{sdk.SentimentNegative, neg * (1 - 0.3*pos), b.String()}
	case pos >= thr:
		describe(&ev[sentPositive], false)
		return sentimentResult{sdk.SentimentPositive, pos * (1 - 0.3*neg), b.String()}
	}
	weak := max(angry, neg, pos)
	if weak > 0 {
		b.WriteString("only weak sentiment cues")
	} else {
		b.WriteString("no sentiment cues")
	}
	return sentimentResult{sdk.SentimentNeutral, 0.8 - 0.6*weak, b.String()}
}

// language scores each language by its stopwords and typical letters in
// the customer's text; with too little evidence it falls back to the
// default language with low confidence.
func (m *model) language(s *scratch, out []sdk.Prediction, allowed []string) []sdk.Prediction {
	score := func(l int) float64 { return s.stop[l] + m.set.languageCharWeight*s.chars[l] }
	best, second := -1, -1
	for l := range m.langs {
		if !allows(allowed, m.langs[l]) {
			continue
		}
		switch {
		case best < 0 || score(l) > score(best):
			best, second = l, best
		case second < 0 || score(l) > score(second):
			second = l
		}
	}
	if best < 0 || score(best) < m.set.languageMinEvidence || score(best) == 0 {
		lang := m.defaults.language
		if !allows(allowed, lang) {
			if best < 0 || score(best) == 0 {
				return out
			}
			lang = m.langs[best]
		}
		ev := 0.0
		if best >= 0 {
			ev = score(best)
		}
		return append(out, pred(sdk.FieldLanguage, lang, m.defaults.confidence,
			fmt.Sprintf("too little evidence (%g language cues); defaulting to %s (low confidence)", ev, lang)))
	}
	sb, s2 := score(best), 0.0
	if second >= 0 {
		s2 = score(second)
	}
	conf := 0.35 + 0.6*(sb-s2)/sb*min(1, sb/8)
	var b strings.Builder
	fmt.Fprintf(&b, "stopwords %s %g", m.langs[best], s.stop[best])
	if second >= 0 && s.stop[second] > 0 {
		fmt.Fprintf(&b, ", %s %g", m.langs[second], s.stop[second])
	}
	if s.chars[best] > 0 {
		fmt.Fprintf(&b, "; letters typical of %s: %g", m.langs[best], s.chars[best])
	}
	return append(out, pred(sdk.FieldLanguage, m.langs[best], conf, b.String()))
}

// signals appends each text signal whose evidence reaches the signal
// threshold.
func (m *model) signals(s *scratch, out []sdk.Prediction, sel fieldSel) []sdk.Prediction {
	var ev [nSignals]evidence
	for r := range m.rules {
		rl, h := &m.rules[r], &s.hits[r]
		if h.w == 0 || rl.signals == 0 {
			continue
		}
		for sig := range nSignals {
			if rl.signals&(1<<sig) != 0 {
				ev[sig].add(h.w*rl.weight, int32(r))
			}
		}
	}
	bestComp := -1
	for k, ch := range s.comps {
		ev[sigCompetitor].add(ch.w, compSrc(ch.comp))
		if bestComp < 0 || ch.w > s.comps[bestComp].w {
			bestComp = k
		}
	}
	if s.recent > 0 {
		ev[sigRepeat].add(m.set.recentRepeat, srcRecent)
	}
	fields := signalFields()
	for sig := range nSignals {
		allowed, ok := sel.want(fields[sig])
		e := &ev[sig]
		if !ok || e.score < m.set.signalThreshold {
			continue
		}
		value, conf := "true", e.score
		var b strings.Builder
		b.WriteString("matched ")
		m.describe(&b, s, e, nil)
		switch sig {
		case sigCompetitor:
			if bestComp >= 0 {
				value = m.comps[s.comps[bestComp].comp].name
			}
		case sigRefund:
			a, f, found := m.refundAmount(s, e.top[0].src)
			if !found {
				continue
			}
			value, conf = a.String(), conf*f
			if code := currencyCode(s.fold[a.qs:a.qe]); code != "" {
				value += " " + code
			}
			fmt.Fprintf(&b, "; amount %q nearest to the request", s.fold[a.qs:a.qe])
		}
		if !allows(allowed, value) {
			if sig != sigCompetitor || !allows(allowed, "true") {
				continue
			}
			value = "true"
		}
		m.describeSuppressed(&b, s, func(src int32) bool {
			if src < 0 {
				return sig == sigCompetitor
			}
			return m.rules[src].signals&(1<<sig) != 0
		})
		out = append(out, pred(fields[sig], value, conf, b.String()))
	}
	return out
}

// refundAmount picks the money amount nearest to rule r's best match and a
// factor for how close it is.
func (m *model) refundAmount(s *scratch, r int32) (amount, float64, bool) {
	if r < 0 {
		return amount{}, 0, false
	}
	for si := range s.segs {
		m.findAmounts(s, si)
	}
	h := &s.hits[r]
	hseg := s.toks[h.ts].seg
	best, bestD := -1, 0
	for k, a := range s.amts {
		var d int
		if a.seg == hseg {
			d = absInt(int(a.tok)-int(h.ts)) + 8*s.boundaries(min(a.tok, h.ts), max(a.tok, h.ts))
		} else {
			d = 10000 + 1000*absInt(int(a.seg)-int(hseg)) + min(int(a.tok-s.segs[a.seg].tlo), 999)
		}
		if best < 0 || d < bestD || (d == bestD && a.cents > s.amts[best].cents) {
			best, bestD = k, d
		}
	}
	switch {
	case best < 0:
		return amount{}, 0, false
	case bestD <= 16:
		return s.amts[best], 1, true
	case bestD < 10000:
		return s.amts[best], 0.85, true
	}
	return s.amts[best], 0.7, true
}

// boundaries counts the clause boundaries between tokens i and j > i.
func (s *scratch) boundaries(i, j int32) int {
	n := 0
	for k := i + 1; k <= j && int(k) < len(s.toks); k++ {
		if s.toks[k].flags&fBrk != 0 {
			n++
		}
	}
	return n
}

// describe writes the contributions of e: `"charged twice" (billing error
// → P1), "invoice" (billing)`. suffix, if not nil, adds to a rule's label.
func (m *model) describe(b *strings.Builder, s *scratch, e *evidence, suffix func(*rule) string) {
	for k := range min(e.n, len(e.top)) {
		if k > 0 {
			b.WriteString(", ")
		}
		c := e.top[k]
		switch {
		case c.src == srcRecent:
			fmt.Fprintf(b, "the requester has %d other recent ticket(s) (weak)", s.recent)
		case c.src < 0:
			ch := s.compOf(-1 - c.src)
			b.WriteString(s.quote(ch.ts, ch.te))
			if ch.cue >= 0 {
				lo, hi := s.flagSpan(ch.cue, fSwitch)
				fmt.Fprintf(b, " (competitor, near %s)", s.quote(lo, hi))
			} else {
				b.WriteString(" (competitor mentioned)")
			}
		default:
			rl, h := &m.rules[c.src], &s.hits[c.src]
			b.WriteString(s.quote(h.ts, h.te))
			b.WriteString(" (")
			b.WriteString(rl.label)
			if suffix != nil {
				b.WriteString(suffix(rl))
			}
			b.WriteString(")")
		}
	}
	if e.n > len(e.top) {
		fmt.Fprintf(b, " and %d more", e.n-len(e.top))
	}
}

// describeSuppressed appends up to two ignored matches whose source keep
// accepts: `; ignored "no data was lost" (negated)`.
func (m *model) describeSuppressed(b *strings.Builder, s *scratch, keep func(src int32) bool) {
	n := 0
	for _, sp := range s.sup {
		if !keep(sp.src) || n == 2 || (sp.src >= 0 && s.hits[sp.src].w > 0) {
			continue // not kept, enough said, or the rule fired elsewhere
		}
		n++
		if n == 1 {
			b.WriteString("; ignored ")
		} else {
			b.WriteString(", ")
		}
		switch sp.why {
		case whyIntegration, whyVetoed:
			b.WriteString(s.quote(sp.ts, sp.te))
		default:
			b.WriteString(s.quote(min(sp.ts, sp.cue), max(sp.te, sp.cue+1)))
		}
		switch sp.why {
		case whyNegated:
			b.WriteString(" (negated)")
		case whyHypothetical:
			b.WriteString(" (hypothetical)")
		case whyOrigin:
			b.WriteString(" (moving from it, not to it)")
		case whyIntegration:
			b.WriteString(" (integration, not a competitor)")
		case whyVetoed:
			vh := &s.hits[sp.cue]
			fmt.Fprintf(b, " (overruled by %s %s)", s.quote(vh.ts, vh.te), m.rules[sp.cue].label)
		}
	}
}

// flagSpan widens token i to the run of tokens around it, within its
// clause, that carry flag.
func (s *scratch) flagSpan(i int32, flag uint16) (int32, int32) {
	lo, hi := i, i+1
	for lo > 0 && s.toks[lo].flags&fBrk == 0 && s.toks[lo-1].flags&flag != 0 {
		lo--
	}
	for int(hi) < len(s.toks) && s.toks[hi].flags&(fBrk) == 0 && s.toks[hi].flags&flag != 0 {
		hi++
	}
	return lo, hi
}

func (s *scratch) compOf(c int32) *compHit {
	for k := range s.comps {
		if s.comps[k].comp == c {
			return &s.comps[k]
		}
	}
	return &compHit{}
}

// quote returns the original text of tokens [ts, te) as a quoted string,
// whitespace collapsed and cut to about 60 bytes.
func (s *scratch) quote(ts, te int32) string {
	if ts < 0 || te <= ts || int(te) > len(s.toks) {
		return `""`
	}
	a, z := &s.toks[ts], &s.toks[te-1]
	if a.seg != z.seg {
		z = a
	}
	txt := s.segs[a.seg].text[a.os:z.oe]
	if len(txt) > 60 {
		cut := 60
		for cut > 0 && !utf8.RuneStart(txt[cut]) {
			cut--
		}
		txt = txt[:cut] + "…"
	}
	if strings.ContainsFunc(txt, unicode.IsSpace) {
		txt = strings.Join(strings.Fields(txt), " ")
	}
	return strconv.Quote(txt)
}
