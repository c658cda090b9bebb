package draft

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rubric and the register detection look for dozens of phrases at
// word boundaries (countWord) in the same few texts. Searching for each
// phrase in turn went over every text once per phrase; a phraseList finds
// all of its phrases in one pass over the text's words instead.
//
// It finds exactly what countWord finds. A phrase that starts with a
// letter or digit can only occur at word boundaries where a word starts
// (the rune before is not a letter or digit), and that word is then the
// phrase's first word: it ends where the phrase's first word does, since
// the phrase goes on with a rune that is not a letter or digit, or ends
// at a word boundary. So each word of the text is looked up among the
// first words, and only the phrases starting with it are compared there.
// The few phrases that start otherwise (":)") are searched for as
// before.
//

// The phrases of every list are kept in one lexicon, so one pass over a
// text finds the phrases of all lists at once (hits); a list then reads
// its own. Looking a word up costs a table test first: only a word whose
// first byte and length some phrase's first word has is looked up in the
// map.

// maxLexicon bounds the phrases of all lists together, so that hits has a
// fixed size.
const maxLexicon = 512

// hits is the set of lexicon phrases a text contains at word boundaries.
type hits [maxLexicon / 64]uint64

func (h *hits) add(id int)      { h[id/64] |= 1 << (id % 64) }
func (h *hits) has(id int) bool { return h[id/64]&(1<<(id%64)) != 0 }

// lexicon is every phraseList's phrases, by id.
type lexicon struct {
	phrases []string
	byFirst map[string][]int // first word → ids of the phrases starting with it, ascending
	// lens has bit min(n, 63) of entry c set when a first word of n bytes
	// starts with byte c.
	lens  [256]uint64
	other []int // ids of the phrases not starting with a letter or digit
}

// lex holds the phrases of every phraseList. It is filled while the
// package's variables are initialized and only read afterwards.
var lex = &lexicon{byFirst: map[string][]int{}}

// add enters phrase and returns its id.
func (x *lexicon) add(p string) int {
	id := len(x.phrases)
	if id == maxLexicon {
		panic("draft: lexicon full")
	}
	x.phrases = append(x.phrases, p)
	switch n := wordPrefix(p); {
	case p == "":
		// countWord never finds the empty phrase.
	case n > 0:
		x.byFirst[p[:n]] = append(x.byFirst[p[:n]], id)
		x.lens[p[0]] |= 1 << min(n, 63)
	default:
		x.other = append(x.other, id)
	}
	return id
}

// scan returns the phrases low (lower case) contains at word boundaries.
func (x *lexicon) scan(low string) hits {
	var h hits
	for start, end := nextWord(low, 0); start >= 0; start, end = nextWord(low, end) {
		if x.lens[low[start]]&(1<<min(end-start, 63)) == 0 {
			continue
		}
		for _, id := range x.byFirst[low[start:end]] {
			p := x.phrases[id]
			if strings.HasPrefix(low[start:], p) && endsWord(low, start+len(p)) {
				h.add(id)
			}
		}
	}
	for _, id := range x.other {
		if indexWord(low, x.phrases[id], 0) >= 0 {
			h.add(id)
		}
	}
	return h
}

// phraseList is a list of lower-case phrases matched at word boundaries
// (countWord), entered in the lexicon.
type phraseList struct {
	phrases []string
	base    int // the id of phrases[0]; the others follow
}

// newPhraseList enters phrases (lower case) in the lexicon. Lists are made
// only while the package's variables are initialized.
func newPhraseList(phrases ...string) *phraseList {
	l := &phraseList{phrases: phrases, base: len(lex.phrases)}
	for _, p := range phrases {
		lex.add(p)
	}
	return l
}

// has reports whether h holds phrases[i].
func (l *phraseList) has(h *hits, i int) bool { return h.has(l.base + i) }

// any reports whether h holds one of the phrases.
func (l *phraseList) any(h *hits) bool {
	for i := range l.phrases {
		if h.has(l.base + i) {
			return true
		}
	}
	return false
}

// firstIn is the first of the phrases h holds, or "".
func (l *phraseList) firstIn(h *hits) string {
	for i, p := range l.phrases {
		if h.has(l.base + i) {
			return p
		}
	}
	return ""
}

// first is anyWord(low, l.phrases): the first phrase of the list that low
// (lower case) contains at word boundaries, or "".
func (l *phraseList) first(low string) string {
	h := lex.scan(low)
	return l.firstIn(&h)
}

// wordPrefix is the length in bytes of the letters and digits s starts
// with.
func wordPrefix(s string) int {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			break
		}
		i += n
	}
	return i
}

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// runeAt decodes the rune at s[i:], quickly for ASCII.
func runeAt(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// wordRuneAt reports whether the rune at s[i:] is a letter or digit, and
// its size.
func wordRuneAt(s string, i int) (bool, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiWord[c], 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r), n
}

// nextWord returns the bounds of the first word (a maximal run of letters
// and digits) of s at or after i, or start -1.
func nextWord(s string, i int) (start, end int) {
	for i < len(s) {
		w, n := wordRuneAt(s, i)
		if w {
			break
		}
		i += n
	}
	if i >= len(s) {
		return -1, -1
	}
	start = i
	for i < len(s) {
		w, n := wordRuneAt(s, i)
		if !w {
			break
		}
		i += n
	}
	return start, i
}

// endsWord reports whether a phrase ending at end of text ends at a word
// boundary, as indexWord checks it.
func endsWord(text string, end int) bool {
	if end == len(text) {
		return true
	}
	r, _ := runeAt(text, end)
	return !isWordRune(r)
}
