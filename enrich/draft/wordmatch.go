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

// maxPhrases bounds a phraseList, so that its matches fit a phraseSet.
const maxPhrases = 128

// phraseSet is a set of a phraseList's indices.
type phraseSet [maxPhrases / 64]uint64

func (s *phraseSet) add(i int)          { s[i/64] |= 1 << (i % 64) }
func (s *phraseSet) has(i int) bool     { return s[i/64]&(1<<(i%64)) != 0 }
func (s *phraseSet) empty() bool        { return s[0] == 0 && s[1] == 0 }
func (s *phraseSet) union(o *phraseSet) { s[0], s[1] = s[0]|o[0], s[1]|o[1] }

// phraseList is a list of lower-case phrases matched at word boundaries,
// prepared for finding them all in one pass (see above).
type phraseList struct {
	phrases []string
	byFirst map[string][]int // first word → indices of the phrases starting with it, ascending
	other   []int            // indices of the phrases not starting with a letter or digit
}

// newPhraseList prepares phrases (lower case) for matching at word
// boundaries. It panics on more than maxPhrases phrases.
func newPhraseList(phrases ...string) *phraseList {
	if len(phrases) > maxPhrases {
		panic("draft: phrase list too long")
	}
	l := &phraseList{phrases: phrases, byFirst: map[string][]int{}}
	for i, p := range phrases {
		if p == "" {
			continue // countWord never finds the empty phrase
		}
		if n := wordPrefix(p); n > 0 {
			l.byFirst[p[:n]] = append(l.byFirst[p[:n]], i)
		} else {
			l.other = append(l.other, i)
		}
	}
	return l
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

// each calls fn with the index and offset of every occurrence at word
// boundaries of a phrase starting with a letter or digit, in the order of
// the text's words.
func (l *phraseList) each(low string, fn func(i, at int)) {
	for start, end := nextWord(low, 0); start >= 0; start, end = nextWord(low, end) {
		for _, i := range l.byFirst[low[start:end]] {
			p := l.phrases[i]
			if strings.HasPrefix(low[start:], p) && endsWord(low, start+len(p)) {
				fn(i, start)
			}
		}
	}
}

// set returns the phrases low (lower case) contains at word boundaries.
func (l *phraseList) set(low string) phraseSet {
	var s phraseSet
	if len(l.byFirst) > 0 {
		for start, end := nextWord(low, 0); start >= 0; start, end = nextWord(low, end) {
			for _, i := range l.byFirst[low[start:end]] {
				p := l.phrases[i]
				if strings.HasPrefix(low[start:], p) && endsWord(low, start+len(p)) {
					s.add(i)
				}
			}
		}
	}
	for _, i := range l.other {
		if indexWord(low, l.phrases[i], 0) >= 0 {
			s.add(i)
		}
	}
	return s
}

// first is anyWord(low, l.phrases): the first phrase of the list that low
// (lower case) contains at word boundaries, or "".
func (l *phraseList) first(low string) string {
	s := l.set(low)
	if s.empty() {
		return ""
	}
	for i := range l.phrases {
		if s.has(i) {
			return l.phrases[i]
		}
	}
	return ""
}

// counts sets n[i] to countWord(low, l.phrases[i]) for every phrase; n
// has len(l.phrases) entries.
func (l *phraseList) counts(low string, n []int) {
	clear(n)
	var next [maxPhrases]int // where a non-overlapping occurrence may start
	l.each(low, func(i, at int) {
		if at >= next[i] {
			n[i]++
			next[i] = at + len(l.phrases[i])
		}
	})
	for _, i := range l.other {
		n[i] = countWord(low, l.phrases[i])
	}
}
