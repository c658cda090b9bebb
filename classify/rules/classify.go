package rules

import (
	"math/bits"
	"sort"
	"strings"

	"github.com/heardhq/heard/sdk"
)

// scratch is the working memory of one classification. Classifiers pool
// them, so a call allocates little beyond its predictions.
type scratch struct {
	fold   []byte
	toks   []token
	atoms  []int32
	segs   []segment
	stop   []float64 // stopword hits by language
	chars  []float64 // letters typical of a language, by language
	hits   []hit     // by rule
	sup    []suppressed
	comps  []compHit
	amts   []amount
	msgs   []int // pairs: message index, bytes to read
	tagEv  []evidence
	recent int
}

// hit is a rule's best unsuppressed match.
type hit struct {
	w      float64 // weight of the segment it matched in (times question_weight); 0: no match
	ts, te int32   // tokens of the best match
}

// Why a match was ignored.
const (
	whyNegated uint8 = iota
	whyHypothetical
	whyOrigin
	whyIntegration
	whyVetoed // cue holds the vetoing rule
)

// suppressed is a match that was ignored, kept for reasons.
type suppressed struct {
	src         int32 // a rule index, or compSrc(competitor)
	ts, te, cue int32
	why         uint8
}

// compHit is a competitor's best mention.
type compHit struct {
	comp        int32
	w           float64
	ts, te, cue int32 // cue: the switching cue's token, -1 for a bare mention
}

// maxSuppressed bounds the suppressed matches kept for reasons.
const maxSuppressed = 8

func newScratch(m *model) *scratch {
	return &scratch{
		hits:  make([]hit, len(m.rules)),
		stop:  make([]float64, len(m.langs)),
		chars: make([]float64, len(m.langs)),
		tagEv: make([]evidence, len(m.tax)),
	}
}

func (s *scratch) reset() {
	s.fold, s.toks, s.atoms, s.segs = s.fold[:0], s.toks[:0], s.atoms[:0], s.segs[:0]
	s.sup, s.comps, s.amts, s.msgs = s.sup[:0], s.comps[:0], s.amts[:0], s.msgs[:0]
	clear(s.hits)
	clear(s.stop)
	clear(s.chars)
	clear(s.tagEv)
	s.recent = 0
}

func (s *scratch) addStopword(mask uint16) {
	for ; mask != 0; mask &= mask - 1 {
		s.stop[bits.TrailingZeros16(mask)]++
	}
}

func (s *scratch) addChars(mask uint16) {
	for ; mask != 0; mask &= mask - 1 {
		s.chars[bits.TrailingZeros16(mask)]++
	}
}

// tokenAt returns the index of the first token of seg that ends after the
// folded offset off, or seg.thi.
func (s *scratch) tokenAt(seg *segment, off int32) int32 {
	lo, hi := int(seg.tlo), int(seg.thi)
	return int32(lo + sort.Search(hi-lo, func(k int) bool { return s.toks[lo+k].fe > off }))
}

// analyze tokenizes the subject and the latest customer messages and
// matches every phrase and pattern against them.
func (m *model) analyze(s *scratch, t *sdk.Ticket) {
	budget := m.set.maxTicketBytes
	if strings.TrimSpace(t.Subject) != "" {
		m.addSegment(s, t.Subject, m.set.subjectWeight, true, min(len(t.Subject), m.set.maxMessageBytes))
		budget -= min(len(t.Subject), m.set.maxMessageBytes)
	}
	// The latest customer messages, newest first, until the budget is spent.
	for i := len(t.Messages) - 1; i >= 0 && len(s.msgs)/2 < m.set.maxMessages && budget > 0; i-- {
		if msg := &t.Messages[i]; !msg.FromAgent && strings.TrimSpace(msg.Body) != "" {
			n := min(len(msg.Body), m.set.maxMessageBytes, budget)
			s.msgs = append(s.msgs, i, n)
			budget -= n
		}
	}
	ws := m.set.messageWeights
	for k := len(s.msgs)/2 - 1; k >= 0; k-- { // oldest first; k == 0 is the latest
		m.addSegment(s, t.Messages[s.msgs[2*k]].Body, ws[min(k, len(ws)-1)], false, s.msgs[2*k+1])
	}
	s.recent = len(t.Recent)
	m.matchAll(s, m.cueIdx)
	m.matchAll(s, m.mainIdx)
	m.matchPatterns(s)
	m.applyVetoes(s)
	s.dropIntegrationMentions()
}

// dropIntegrationMentions drops bare mentions of a competitor that the
// ticket elsewhere names as an integration: in "Subject: Intercom" + "the
// Intercom integration doesn't sync", Intercom is a tool, not a rival.
func (s *scratch) dropIntegrationMentions() {
	keep := s.comps[:0]
	for _, ch := range s.comps {
		drop := false
		if ch.cue < 0 {
			for _, sp := range s.sup {
				if sp.src == compSrc(ch.comp) && sp.why == whyIntegration {
					drop = true
					break
				}
			}
		}
		if !drop {
			keep = append(keep, ch)
		}
	}
	s.comps = keep
}

// applyVetoes silences the rules vetoed by rules that matched ("I don't
// need a refund" vetoes the refund request).
func (m *model) applyVetoes(s *scratch) {
	for _, r := range m.vetoers {
		if s.hits[r].w == 0 {
			continue
		}
		for _, v := range m.rules[r].vetoes {
			if h := &s.hits[v]; h.w > 0 {
				s.suppress(int32(v), int(h.ts), int(h.te), r, whyVetoed)
				*h = hit{}
			}
		}
	}
}

// matchAll runs the phrases of idx over all tokens.
func (m *model) matchAll(s *scratch, idx phraseIndex) {
	for i := range s.toks {
		t := &s.toks[i]
		for _, a := range s.atoms[t.alo:t.ahi] {
			for _, pid := range idx[a] {
				p := &m.phrases[pid]
				e, ok := m.matchRest(s, p, 1, i+1)
				if !ok {
					continue
				}
				switch p.kind {
				case ownCue:
					for k := i; k < e; k++ {
						s.toks[k].flags |= uint16(p.owner)
					}
				case ownRule:
					m.onRule(s, int(p.owner), i, e)
				case ownCompetitor:
					m.onCompetitor(s, int(p.owner), i, e)
				}
			}
		}
	}
}

// matchPatterns runs the rules' regular expressions over each segment's
// folded text.
func (m *model) matchPatterns(s *scratch) {
	for _, r := range m.regexed {
		for si := range s.segs {
			seg := &s.segs[si]
			txt := s.fold[seg.fs:seg.fe]
			for _, re := range m.rules[r].regexes {
				for _, loc := range re.FindAllIndex(txt, 8) {
					i := s.tokenAt(seg, seg.fs+int32(loc[0]))
					if i >= seg.thi {
						continue
					}
					e := max(s.tokenAt(seg, seg.fs+int32(loc[1])-1)+1, i+1)
					m.onRule(s, r, int(i), int(min(e, seg.thi)))
				}
			}
		}
	}
}

// cueBefore looks back from token i, at most window tokens and not past a
// clause boundary or a scope breaker, for a token with flag; it returns
// that token's index or -1.
func (s *scratch) cueBefore(i, window int, flag uint16) int {
	for j := i - 1; j >= 0 && j >= i-window; j-- {
		if s.toks[j+1].flags&fBrk != 0 {
			return -1
		}
		f := s.toks[j].flags
		if f&flag != 0 {
			return j
		}
		if f&fBreaker != 0 {
			return -1
		}
	}
	return -1
}

func (s *scratch) suppress(src int32, i, e, cue int, why uint8) {
	if len(s.sup) < maxSuppressed {
		s.sup = append(s.sup, suppressed{src: src, ts: int32(i), te: int32(e), cue: int32(cue), why: why})
	}
}

// onRule records a match of rule r over tokens [i, e) unless a negation or
// hypothetical governs it.
func (m *model) onRule(s *scratch, r, i, e int) {
	rl := &m.rules[r]
	if rl.negatable {
		if j := s.cueBefore(i, m.set.negWindow, fNeg); j >= 0 {
			s.suppress(int32(r), i, e, j, whyNegated)
			return
		}
		if j := s.cueBefore(i, m.set.hypoWindow, fHypo); j >= 0 {
			s.suppress(int32(r), i, e, j, whyHypothetical)
			return
		}
	}
	t := &s.toks[i]
	w := s.segs[t.seg].weight
	if t.flags&fQuestion != 0 {
		w *= rl.questionWeight
	}
	if h := &s.hits[r]; w > h.w {
		h.w, h.ts, h.te = w, int32(i), int32(e)
	}
}

// compSrc encodes competitor c as an evidence source.
func compSrc(c int32) int32 { return -1 - c }

// srcRecent is the evidence source "the requester has other recent tickets".
const srcRecent = int32(-1 << 30)

// onCompetitor records a mention of competitor c over tokens [i, e). A
// mention next to a switching cue is strong, a bare mention weak; mentions
// after an origin cue ("migrating from") or next to integration words
// ("our Salesforce sync") are not churn evidence.
func (m *model) onCompetitor(s *scratch, c, i, e int) {
	src := compSrc(int32(c))
	if j := s.cueBefore(i, m.set.negWindow, fNeg); j >= 0 {
		s.suppress(src, i, e, j, whyNegated)
		return
	}
	if j := s.cueBefore(i, m.set.hypoWindow, fHypo); j >= 0 {
		s.suppress(src, i, e, j, whyHypothetical)
		return
	}
	t := &s.toks[i]
	if i > 0 && t.flags&fBrk == 0 && s.toks[i-1].flags&fOrigin != 0 {
		s.suppress(src, i, e, i-1, whyOrigin)
		return
	}
	seg := &s.segs[t.seg]
	lo, hi := max(int(seg.tlo), i-m.compSet.window), min(int(seg.thi), e+m.compSet.window)
	sw, integ := -1, -1
	for j := lo; j < hi; j++ {
		if j >= i && j < e {
			continue
		}
		f := s.toks[j].flags
		if f&fSwitch != 0 && (sw < 0 || absInt(j-i) < absInt(sw-i)) {
			sw = j
		}
		if f&fIntegr != 0 && (integ < 0 || absInt(j-i) < absInt(integ-i)) {
			integ = j
		}
	}
	if sw >= 0 && integ >= 0 && absInt(integ-i) < absInt(sw-i) {
		sw = -1 // the nearer cue decides: "trialling the new Intercom integration"
	}
	cp := &m.comps[c]
	var w float64
	switch {
	case sw >= 0 && (!cp.needsCue || t.flags&fCap != 0):
		w = m.compSet.switchWeight
	case cp.needsCue:
		return
	case integ >= 0:
		s.suppress(src, i, e, integ, whyIntegration)
		return
	default:
		w = m.compSet.mentionWeight
	}
	w *= seg.weight
	for k := range s.comps {
		if ch := &s.comps[k]; ch.comp == int32(c) {
			if w > ch.w {
				*ch = compHit{comp: int32(c), w: w, ts: int32(i), te: int32(e), cue: int32(sw)}
			}
			return
		}
	}
	s.comps = append(s.comps, compHit{comp: int32(c), w: w, ts: int32(i), te: int32(e), cue: int32(sw)})
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
