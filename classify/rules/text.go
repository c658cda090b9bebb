package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token flags. The first group is set by the tokenizer, the second by the
// cue pass (matchCues) before rules are matched.
const (
	fBrk      uint16 = 1 << iota // a clause boundary (punctuation, line break, segment start) precedes the token
	fCap                         // the token's first letter was upper case in the original
	fQuestion                    // the token is in a sentence that ends with '?'
	fNeg                         // part of a negation cue ("not", "kein", "pas")
	fHypo                        // part of a hypothetical cue ("if", "in case")
	fBreaker                     // ends a negation's scope looking back ("but", "we'll")
	fSwitch                      // part of a competitor switching cue ("switching to")
	fOrigin                      // part of an origin cue ("from") right before a competitor name
	fIntegr                      // part of an integration cue ("integration", "sync")
	fGapStop                     // a word a phrase's ".." may not skip ("and")
)

// token is one word of a segment: its folded bytes in scratch.fold, its
// original bytes in the segment's text, and the lexicon atoms it matched.
type token struct {
	fs, fe   int32 // folded bytes: scratch.fold[fs:fe]
	os, oe   int32 // original bytes: segment.text[os:oe]
	alo, ahi int32 // matched atoms: scratch.atoms[alo:ahi]
	seg      int16
	flags    uint16
}

// segment is one piece of ticket text: the subject or one customer message.
type segment struct {
	text     string
	weight   float64
	subject  bool
	fs, fe   int32 // folded text: scratch.fold[fs:fe]
	tlo, thi int32 // tokens: scratch.toks[tlo:thi]
	// Typography, counted over words of three or more letters.
	words, caps, run, maxRun, exclaim int
}

// foldLatin maps U+00C0..U+017F to a lower-case ASCII base letter; '*' marks
// runes handled by foldSpecial or not letters at all.
const foldLatin = "aaaaaa*ceeeeiiiidnooooo*ouuuuy**" + // U+00C0..U+00DF
	"aaaaaa*ceeeeiiiidnooooo*ouuuuy*y" + // U+00E0..U+00FF
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkk" + // U+0100..U+0138
	"llllllllllnnnnnnnnnoooooo**rrrrrrsssssssstttttt" + // U+0139..U+0167
	"uuuuuuuuuuuuwwyyyzzzzzzs" // U+0168..U+017F

// appendFold appends r lower-cased and without diacritics: "É" → "e",
// "ß" → "ss", "Œ" → "oe". Combining marks fold to nothing.
func appendFold(dst []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, byte(r))
	case r >= 0xC0 && r < 0x180:
		if c := foldLatin[r-0xC0]; c != '*' {
			return append(dst, c)
		}
		switch r {
		case 'ß':
			return append(dst, "ss"...)
		case 'Æ', 'æ':
			return append(dst, "ae"...)
		case 'Œ', 'œ':
			return append(dst, "oe"...)
		case 'Þ', 'þ':
			return append(dst, "th"...)
		case 'Ĳ', 'ĳ':
			return append(dst, "ij"...)
		}
	case r >= 0x300 && r < 0x370: // combining diacritical marks
		return dst
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

// fold returns s folded as tokens are: lower case, no diacritics,
// typographic apostrophes and spaces made plain.
func fold(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if isWordRune(r) {
			b = appendFold(b, r)
		} else {
			b = appendPunct(b, r)
		}
	}
	return string(b)
}

// appendPunct appends a non-word rune to folded text, normalizing
// apostrophes and unusual spaces.
func appendPunct(dst []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		if r == '\r' || r == '\t' {
			r = ' '
		}
		return append(dst, byte(r))
	case isApostrophe(r):
		return append(dst, '\'')
	case r == 0xA0 || r == 0x2009 || r == 0x202F || r == 0x2007 || r == 0x200B:
		return append(dst, ' ')
	}
	return utf8.AppendRune(dst, r)
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '′'
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || (r >= 0x300 && r < 0x370)
}

func isLetterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	if b := s[i]; b < utf8.RuneSelf {
		return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

// tokenizer is the state of one pass over one segment.
type tokenizer struct {
	m   *model
	s   *scratch
	seg *segment
	si  int16

	wordStart, foldStart int
	upper, lower, digits int
	firstUpper           bool
	brk                  bool
	sentStart            int // token index where the current sentence starts
	bangs, punctRun      int // the current run of '!' and '?'
}

// addSegment folds and tokenizes text as a new segment of weight w. Lines
// that start with '>' (quoted replies) are skipped; text beyond limit bytes
// is ignored.
func (m *model) addSegment(s *scratch, text string, w float64, subject bool, limit int) {
	if len(text) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	s.segs = append(s.segs, segment{text: text, weight: w, subject: subject, fs: int32(len(s.fold)), tlo: int32(len(s.toks))})
	t := tokenizer{m: m, s: s, seg: &s.segs[len(s.segs)-1], si: int16(len(s.segs) - 1), wordStart: -1, brk: true, sentStart: len(s.toks)}
	lineStart := true
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if lineStart {
			if r == ' ' || r == '\t' {
				s.fold = append(s.fold, ' ')
				i += size
				continue
			}
			if r == '>' {
				if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
					i += j
				} else {
					i = len(text)
				}
				continue
			}
			lineStart = false
		}
		if r >= utf8.RuneSelf {
			if mask, ok := m.langChars[r]; ok {
				s.addChars(mask)
			}
		}
		switch {
		case isWordRune(r):
			t.closeRun()
			if t.wordStart < 0 {
				t.wordStart, t.foldStart = i, len(s.fold)
				t.upper, t.lower, t.digits = 0, 0, 0
				t.firstUpper = unicode.IsUpper(r)
			}
			switch {
			case r < utf8.RuneSelf && '0' <= r && r <= '9':
				t.digits++
			case unicode.IsUpper(r):
				t.upper++
			case unicode.IsLower(r):
				t.lower++
			}
			s.fold = appendFold(s.fold, r)
		case (r == '.' || r == ',') && t.wordStart >= 0 && t.digits > 0 && i > 0 && isDigitByte(text[i-1]) && i+1 < len(text) && isDigitByte(text[i+1]):
			s.fold = append(s.fold, byte(r)) // "1,500" and "5.2.1" stay one word
		case isApostrophe(r) && t.wordStart >= 0 && isLetterAt(text, i+size):
			if m.isElision(s.fold[t.foldStart:]) {
				t.endWord(i) // "l" of "l'application" is a word of its own
			}
			s.fold = append(s.fold, '\'')
		default:
			t.endWord(i)
			t.punct(text, i, size, r)
			s.fold = appendPunct(s.fold, r)
			if r == '\n' {
				lineStart = true
			}
		}
		i += size
	}
	t.endWord(len(text))
	t.closeRun()
	t.seg.fe, t.seg.thi = int32(len(s.fold)), int32(len(s.toks))
}

// punct records the effect of a non-word rune at text[i:i+size]: clause
// and sentence boundaries, questions, and runs of '!'.
func (t *tokenizer) punct(text string, i, size int, r rune) {
	if r == '!' || r == '?' {
		t.punctRun++
		if r == '!' {
			t.bangs++
		}
	} else {
		t.closeRun()
	}
	next := byte(' ')
	if i+size < len(text) {
		next = text[i+size]
	}
	prev := byte(' ')
	if i > 0 {
		prev = text[i-1]
	}
	switch r {
	case '\n', '!', '…':
		t.brk = true
		t.sentStart = len(t.s.toks)
	case '?':
		t.brk = true
		for k := t.sentStart; k < len(t.s.toks); k++ {
			t.s.toks[k].flags |= fQuestion
		}
		t.sentStart = len(t.s.toks)
	case '.':
		if !isDigitByte(next) && !isLetterAt(text, i+size) {
			t.brk = true
			t.sentStart = len(t.s.toks)
		}
	case ',', ':':
		if !isDigitByte(prev) || !isDigitByte(next) {
			t.brk = true
		}
	case ';', '(', ')', '[', ']', '–', '—', '|', '•':
		t.brk = true
	case '-':
		if prev == ' ' || next == ' ' || next == '\n' {
			t.brk = true
		}
	}
}

// closeRun ends a run of '!' and '?', counting it when it is shouting.
func (t *tokenizer) closeRun() {
	if t.punctRun == 0 {
		return
	}
	if t.bangs >= 2 && t.punctRun >= t.m.exclaim.MinRun {
		t.seg.exclaim++
	}
	t.bangs, t.punctRun = 0, 0
}

// endWord emits the current word, if any, ending at original offset end.
func (t *tokenizer) endWord(end int) {
	if t.wordStart < 0 {
		return
	}
	s := t.s
	tok := token{fs: int32(t.foldStart), fe: int32(len(s.fold)), os: int32(t.wordStart), oe: int32(end), seg: t.si, alo: int32(len(s.atoms))}
	t.wordStart = -1
	if t.brk {
		tok.flags |= fBrk
		t.brk = false
	}
	if t.firstUpper {
		tok.flags |= fCap
	}
	folded := s.fold[tok.fs:tok.fe]
	var langs uint16
	s.atoms, langs = t.m.lex.walk(folded, s.atoms)
	tok.ahi = int32(len(s.atoms))
	if langs != 0 {
		s.addStopword(langs)
	}
	if letters := t.upper + t.lower; letters >= 3 && t.digits == 0 {
		seg := t.seg
		seg.words++
		switch {
		case t.lower == 0 && !t.m.isAcronym(folded):
			seg.caps++
			seg.run++
			seg.maxRun = max(seg.maxRun, seg.run)
		case t.lower > 0:
			seg.run = 0
		}
	}
	s.toks = append(s.toks, tok)
}

// isElision reports whether a folded word before an apostrophe is an
// elided article or pronoun ("l", "d", "qu") split off as its own token.
func (m *model) isElision(w []byte) bool {
	for _, e := range m.elisions {
		if string(w) == e {
			return true
		}
	}
	return false
}

func (m *model) isAcronym(w []byte) bool {
	_, ok := m.acronyms[string(w)]
	return ok
}
