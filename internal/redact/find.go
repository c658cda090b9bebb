package redact

import (
	"slices"
	"strings"
	"sync"
)

// Find returns the sensitive spans of s, in order and not overlapping.
// Rules run in a fixed order (known values, secrets, e-mail, checksummed
// numbers, context-labelled values, phones, addresses, names) on a
// normalised copy of s (Unicode dashes and spaces, full-width digits);
// each rule sees the earlier matches masked and cannot overlap them.
func (r *Redactor) Find(s string) []Span {
	if r == nil || len(r.known)+len(r.rules) == 0 || s == "" {
		return nil
	}
	f, ok := finderPool.Get().(*finder)
	if !ok {
		f = newFinder()
	}
	defer f.release()
	f.reset(normalize(s))
	for i := range r.known {
		f.apply(&r.known[i])
	}
	for i := range r.rules {
		f.apply(&r.rules[i])
	}
	if len(f.spans) == 0 {
		return nil
	}
	slices.SortFunc(f.spans, func(a, b Span) int { return a.Start - b.Start })
	return slices.Clone(f.spans)
}

// finder is the state of one Find: the text as earlier rules left it and
// what was indexed of it once for all rules. Finders are pooled.
type finder struct {
	n      normalized
	lower  string // n.text with ASCII letters in lower case
	ws     string // the text the next rule sees: n.text with earlier matches masked
	work   []byte // ws being masked; nil until the first match
	taken  []bool // bytes of earlier matches; nil until the first match
	dirty  bool   // work holds matches ws does not
	spans  []Span
	ru     *rule
	trigAt [numTriggers][]int // positions of each trigger in n.text, by trigger id
	trigOK [numTriggers]bool  // whether trigAt[id] is filled
	hits   [][]int            // positions of each rule's anchors in lower, by anchorID
	hitsOK bool
	wins   [][2]int
}

var finderPool = sync.Pool{New: func() any { return newFinder() }}

func newFinder() *finder { return &finder{hits: make([][]int, anchorCount)} }

func (f *finder) reset(n normalized) {
	f.n, f.lower, f.ws = n, asciiLower(n.text), n.text
	f.work, f.taken, f.dirty, f.spans = nil, nil, false, f.spans[:0]
	f.trigOK = [numTriggers]bool{}
	f.hitsOK = false
}

func (f *finder) release() {
	f.n, f.lower, f.ws, f.work, f.taken, f.ru = normalized{}, "", "", nil, nil, nil
	finderPool.Put(f)
}

// apply runs one rule over the text.
func (f *finder) apply(ru *rule) {
	if f.dirty {
		f.ws, f.dirty = string(f.work), false
	}
	if ru.needDigit && !f.hasDigit() {
		return
	}
	if ru.pre != nil && !ru.pre(f.ws, f.lower) {
		return
	}
	f.ru = ru
	switch {
	case ru.find != nil:
		for _, m := range ru.find(f.ws) {
			f.accept(m)
		}
	case ru.anchors != nil:
		// Labelled rules run only on the lines around their labels: the
		// same matches, without the expression walking the whole text.
		for _, w := range f.windows(ru.anchorID) {
			f.match(w[0], w[1])
		}
	default:
		f.match(0, len(f.ws))
	}
}

// match runs the rule's expression over ws[lo:hi] as if that were the
// whole text, through its runs when it has a runScan.
func (f *finder) match(lo, hi int) {
	if f.ru.scan == nil {
		f.matchIn(lo, hi)
		return
	}
	sc := f.ru.scan
	ws, at := f.ws, f.triggers(sc.trig)
	end := lo // runs end here or later; triggers before it are done
	for _, p := range at {
		if p < end {
			continue
		}
		if p >= hi {
			break
		}
		w0, w1, next, ok := sc.run(ws, lo, hi, p)
		if ok {
			f.matchIn(w0, w1)
		}
		end = next
	}
}

// matchIn runs the rule's expression over ws[lo:hi] and accepts its
// matches.
func (f *finder) matchIn(lo, hi int) {
	for _, m := range f.ru.re.FindAllStringSubmatchIndex(f.ws[lo:hi], -1) {
		if lo > 0 {
			for i := range m {
				if m[i] >= 0 {
					m[i] += lo
				}
			}
		}
		f.accept(m)
	}
}

// accept takes a match the rule's check accepts and that no earlier
// match overlaps: its span is recorded and masked for the later rules.
func (f *finder) accept(m []int) {
	ru := f.ru
	start, end, ok := m[0], m[1], true
	if ru.check != nil {
		start, end, ok = ru.check(f.ws, m)
	}
	if !ok || start >= end {
		return
	}
	if f.work == nil {
		f.work = []byte(f.n.text)
		f.taken = make([]bool, len(f.work))
	} else if overlaps(f.taken, start, end) {
		return
	}
	for i := start; i < end; i++ {
		f.taken[i] = true
		f.work[i] = 'X'
	}
	f.work[start], f.work[end-1] = '[', ']'
	f.dirty = true
	f.spans = append(f.spans, Span{Start: f.n.orig(start), End: f.n.orig(end), Kind: ru.kind})
}

// triggers returns the positions of t's characters in the normalised
// text. Masking never creates one, so they are a superset of those in ws.
func (f *finder) triggers(t *trigger) []int {
	if !f.trigOK[t.id] {
		at := f.trigAt[t.id][:0]
		s := f.n.text
		for i := 0; i < len(s); i++ {
			if t.set[s[i]] {
				at = append(at, i)
			}
		}
		f.trigAt[t.id], f.trigOK[t.id] = at, true
	}
	return f.trigAt[t.id]
}

// hasDigit reports whether ws holds an ASCII digit.
func (f *finder) hasDigit() bool {
	for _, p := range f.triggers(trigDigit) {
		if isDigit(f.ws[p]) {
			return true
		}
	}
	return false
}

// windows returns the spans of ws, from the start of the line before each
// of the rule's anchors' lines to the end of the line after it, merged
// where they overlap or touch.
func (f *finder) windows(anchorID int) [][2]int {
	if !f.hitsOK {
		anchorIdx.scan(f.lower, f.hits)
		f.hitsOK = true
	}
	s := f.ws
	ws := f.wins[:0]
	for _, p := range f.hits[anchorID] {
		start := strings.LastIndexByte(s[:p], '\n')
		if start > 0 {
			start = strings.LastIndexByte(s[:start], '\n')
		}
		start++
		end := len(s)
		if j := strings.IndexByte(s[p:], '\n'); j >= 0 {
			end = p + j + 1
			if k := strings.IndexByte(s[end:], '\n'); k >= 0 {
				end += k
			} else {
				end = len(s)
			}
		}
		if n := len(ws); n > 0 && start <= ws[n-1][1] {
			ws[n-1][1] = max(ws[n-1][1], end)
			continue
		}
		ws = append(ws, [2]int{start, end})
	}
	f.wins = ws
	return ws
}

// anchorIndex finds the anchors of every rule in one pass over the
// lower-cased text: at each byte, only the anchors starting with it are
// compared.
type anchorIndex struct {
	byFirst [256][]anchorWord
	// pairs has bit b0|b1<<8 set when an anchor starts with the bytes
	// b0 b1, and single bit b0 when an anchor is the one byte b0: most
	// positions are ruled out with one look.
	pairs  [1 << 16 / 64]uint64
	single [256]bool
}

func (x *anchorIndex) add(a string, id int) {
	x.byFirst[a[0]] = append(x.byFirst[a[0]], anchorWord{word: a, id: id})
	if len(a) == 1 {
		x.single[a[0]] = true
		return
	}
	k := uint(a[0]) | uint(a[1])<<8
	x.pairs[k/64] |= 1 << (k % 64)
}

type anchorWord struct {
	word string
	id   int // the rule's anchorID
}

// anchorCount is the number of rules in allRules with anchors (their
// anchorIDs count from 0), and anchorIdx indexes their anchors.
var (
	anchorCount int
	anchorIdx   anchorIndex
)

// prepareRules analyses each rule's expression for its runScan and
// indexes the anchors. It runs while allRules is initialised, before New
// copies any rule.
func prepareRules(rules []rule) []rule {
	for i := range rules {
		ru := &rules[i]
		if ru.re != nil {
			ru.scan = newRunScan(ru.re, ru.trig, ru.minTrig)
		}
		if ru.anchors == nil {
			continue
		}
		ru.anchorID = anchorCount
		anchorCount++
		for _, a := range ru.anchors {
			anchorIdx.add(a, ru.anchorID)
		}
	}
	return rules
}

// scan sets hits[id] to every position in lower where one of rule id's
// anchors starts, ascending (overlapping ones included: they lie on the
// same line as the one they overlap and add no window).
func (x *anchorIndex) scan(lower string, hits [][]int) {
	for id := range hits {
		hits[id] = hits[id][:0]
	}
	for i := 0; i < len(lower); i++ {
		if !x.single[lower[i]] {
			if i+1 == len(lower) {
				break // every anchor of two bytes or more starts earlier
			}
			if k := uint(lower[i]) | uint(lower[i+1])<<8; x.pairs[k/64]&(1<<(k%64)) == 0 {
				continue
			}
		}
		for _, a := range x.byFirst[lower[i]] {
			if strings.HasPrefix(lower[i:], a.word) {
				if h := hits[a.id]; len(h) == 0 || h[len(h)-1] != i {
					hits[a.id] = append(h, i)
				}
			}
		}
	}
}
