package draft

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heardhq/heard/sdk"
)

// latestCustomerMessage returns the body of the newest message not written
// by an agent, without quoted history and signature, or "".
func latestCustomerMessage(t *sdk.Ticket) string {
	if t == nil {
		return ""
	}
	for i := len(t.Messages) - 1; i >= 0; i-- {
		m := t.Messages[i]
		if m.FromAgent {
			continue
		}
		if body := stripQuoted(m.Body); body != "" {
			return body
		}
	}
	return ""
}

// replyHeaderRE matches the line an e-mail client puts above quoted history.
var replyHeaderRE = mustFiltered(`(?i)^(on .+ wrote:|am .+ schrieb .+:|le .+ a écrit\s?:|el .+ escribió:|-+\s*original message\s*-+|-+\s*ursprüngliche nachricht\s*-+|from: .+)$`)

// stripQuoted drops quoted lines ("> ..."), everything from a reply header
// on, and a signature after a "-- " line.
func stripQuoted(body string) string {
	var keep []string
	for line := range strings.SplitSeq(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		if replyHeaderRE.MatchString(trimmed) || line == "-- " || trimmed == "--" {
			break
		}
		if strings.HasPrefix(trimmed, ">") {
			continue
		}
		keep = append(keep, strings.TrimRight(line, " \t"))
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}

// sentenceEnds finds the ends of sentences in s: terminal punctuation,
// optionally closing quotes or brackets, then whitespace or the end. It
// returns what regexp `[.!?…]+["”»“')\]]*(\s+|$)`'s FindAllStringIndex
// does (see the equivalence test) without running a regex over every
// position of every line, which was a noticeable part of drafting.
func sentenceEnds(s string) [][]int {
	var out [][]int
	for _, m := range appendSentenceEnds(nil, s) {
		out = append(out, []int{m[0], m[1]})
	}
	return out
}

// appendSentenceEnds appends sentenceEnds(s) to dst, as pairs.
func appendSentenceEnds(dst [][2]int, s string) [][2]int {
	out := dst
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isSentencePunct(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isSentencePunct(r) {
				break
			}
			j += n
		}
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isSentenceCloser(r) {
				break
			}
			j += n
		}
		// A match starting later in the same run would end at the same
		// place, so a failed one is skipped whole.
		k := j
		for k < len(s) && isRESpace(s[k]) {
			k++
		}
		if k > j || j == len(s) {
			out = append(out, [2]int{i, k})
		}
		i = k
	}
	return out
}

func isSentencePunct(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }

func isSentenceCloser(r rune) bool {
	switch r {
	case '"', '”', '»', '“', '\'', ')', ']':
		return true
	}
	return false
}

// isRESpace is regexp's \s: ASCII tab, newline, form feed, carriage return
// and space.
func isRESpace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

// urlRE matches a web link.
var urlRE = regexp.MustCompile(`https?://[^\s<>"”»)\]]+[^\s<>"”»)\].,;:!?]`)

// sentences splits text into trimmed sentences: at terminal punctuation
// followed by whitespace and at line breaks. Links are kept whole.
func sentences(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// Protect dots inside links from the splitter.
		protected := line
		if strings.Contains(line, "://") {
			protected = urlRE.ReplaceAllStringFunc(line, func(u string) string { return strings.ReplaceAll(u, ".", "\x00") })
		}
		last := 0
		var buf [16][2]int
		for _, m := range appendSentenceEnds(buf[:0], protected) {
			if s := strings.TrimSpace(protected[last:m[1]]); s != "" {
				out = append(out, strings.ReplaceAll(s, "\x00", "."))
			}
			last = m[1]
		}
		if s := strings.TrimSpace(protected[last:]); s != "" {
			out = append(out, strings.ReplaceAll(s, "\x00", "."))
		}
	}
	return out
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// words splits s into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// wordCount counts words of s, links counting as one.
func wordCount(s string) int {
	// len(strings.Fields(s)) without building the fields.
	n := 0
	in := false
	for i := 0; i < len(s); {
		var space bool
		if c := s[i]; c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// asciiSpace marks the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// stopwords are function words of the four languages, left out of key
// terms.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range []string{
		// English
		`a about above after again all also am an and any are aren as at be because been before being below between both but by
		can cannot could couldn did didn do does doesn doing don down during each few for from further get gets getting got had
		has have having he her here hers him his how i if in into is isn it its itself just let like me more most my no nor not
		now of off on once only or other our ours out over own please same she should so some still such than thank thanks that
		the their them then there these they this those through to too under until up very want was wasn we were what when where
		which while who whom why will with would you your yours yourself hi hello dear regards best help anyone anything something
		way know need needs make made any able already really maybe possible tell since ever even much many thing things one two
		use using used get going go able try tried trying see seem seems whether tell also`,
		// German
		`aber alle als also am an auch auf aus bei bin bis bitte da damit dann das dass dem den denn der des die dies diese diesem
		diesen dieser doch dort du durch ein eine einem einen einer es euch für gibt habe haben hat hatte ich ihr ihre im in ist
		ja jetzt kann kein keine können könnte man mein meine mich mir mit muss nach nicht noch nur ob oder schon sehr sein sich
		sie sind so über um und uns unser unsere vom von vor warum was weil wenn wer wie wir wird wo zu zum zur hallo danke
		grüße geehrte geehrter liebe`,
		// French
		`a au aux avec ce ces cette dans de des du elle en est et être il ils je la le les leur ma mais me mes moi mon ne nous on
		ou où par pas pour qu que qui sa se ses si son sur ta te tes toi ton tu un une vos votre vous y est-ce comment pourquoi
		quand quel quelle quels quelles bonjour merci cordialement peut puis pouvez faire fait`,
		// Spanish
		`a al algo como con de del el ella en es esta este esto está están hay la las le les lo los me mi mis muy no nos o para
		pero por que qué se si sin su sus te ti tu tus un una uno y ya cómo cuándo dónde cuál cuáles puedo pueden puede hola
		gracias saludos usted ustedes`,
	} {
		for _, w := range strings.Fields(list) {
			m[w] = true
		}
	}
	return m
}()

// keyTerms are the content words of s: not stop words, and at least four
// letters unless they hold a digit or were written in capitals (CSV, SSO).
func keyTerms(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, raw := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		w := strings.ToLower(raw)
		if stopwords[w] || seen[w] {
			continue
		}
		hasDigit := strings.IndexFunc(w, unicode.IsDigit) >= 0
		acronym := utf8.RuneCountInString(raw) >= 2 && strings.ToUpper(raw) == raw && !hasDigit
		if utf8.RuneCountInString(w) < 4 && !hasDigit && !acronym {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// stem is a crude language-neutral stem: the first five letters, so that
// "export", "exports" and "exporting" meet.
func stem(w string) string {
	n := 0
	for i := range w {
		if n == 5 {
			if !utf8.ValidString(w[:i]) {
				// string([]rune(w)[:5]) spells a bad byte U+FFFD.
				return string([]rune(w)[:5])
			}
			return w[:i]
		}
		n++
	}
	return w
}

// stemSet is the set of stems of the words of s.
func stemSet(s string) map[string]bool { return lowStemSet(strings.ToLower(s)) }

// lowStemSet is stemSet of a text already lower-cased.
func lowStemSet(low string) map[string]bool {
	n := 0
	for start, end := nextWord(low, 0); start >= 0; start, end = nextWord(low, end) {
		n++
	}
	m := make(map[string]bool, n)
	// The words of low, as words(s) splits them.
	for start, end := nextWord(low, 0); start >= 0; start, end = nextWord(low, end) {
		m[stem(low[start:end])] = true
	}
	return m
}

// closers maps an opening quotation mark to the marks that close it.
var closers = map[rune]string{'"': `"`, '“': "”", '„': "“”", '«': "»"}

// quoteSpans returns the [start, end) byte spans of passages in quotation
// marks of the four languages: on one line, 1 to 300 bytes inside.
func quoteSpans(s string) [][2]int {
	if !strings.ContainsAny(s, `"“„«`) {
		return nil
	}
	var out [][2]int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if cl, ok := closers[r]; ok {
			rest := s[i+n:]
			end := strings.IndexAny(rest, cl+"\n")
			if end > 0 && end <= 300 && rest[end] != '\n' {
				_, cn := utf8.DecodeRuneInString(rest[end:])
				out = append(out, [2]int{i, i + n + end + cn})
				i += n + end + cn
				continue
			}
		}
		i += n
	}
	return out
}

// withoutQuotes replaces quoted passages with a neutral word, so that
// rules about the writer's own wording ignore what they quote.
func withoutQuotes(s string) string {
	spans := quoteSpans(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp[0]])
		b.WriteString("QUOTE")
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// containsWord reports whether text contains phrase at word boundaries,
// ignoring case.
func containsWord(text, phrase string) bool {
	return countWord(strings.ToLower(text), strings.ToLower(phrase)) > 0
}

// countWord counts the occurrences of phrase in text at word boundaries;
// both are already in the same case.
func countWord(text, phrase string) int {
	n := 0
	for i := indexWord(text, phrase, 0); i >= 0; i = indexWord(text, phrase, i+len(phrase)) {
		n++
	}
	return n
}

// indexWord returns the offset of the first occurrence of phrase in text
// at or after from, at word boundaries, or -1.
func indexWord(text, phrase string, from int) int {
	if phrase == "" {
		return -1
	}
	for i := from; i < len(text); {
		j := strings.Index(text[i:], phrase)
		if j < 0 {
			return -1
		}
		start, end := i+j, i+j+len(phrase)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (start == 0 || !isWordRune(before)) && (end == len(text) || !isWordRune(after)) {
			return start
		}
		i = start + 1
	}
	return -1
}

// anyWord returns the first of phrases (lower case) that low (lower case)
// contains at word boundaries, or "".
func anyWord(low string, phrases []string) string {
	for _, p := range phrases {
		if countWord(low, p) > 0 {
			return p
		}
	}
	return ""
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// truncateWords cuts s to at most n words, marking the cut with "…".
func truncateWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.TrimRight(strings.Join(f[:n], " "), ",;:") + "…"
}

// hasPlaceholder reports whether s contains a redaction placeholder such
// as "[EMAIL]".
func hasPlaceholder(s string) bool {
	for _, p := range []string{"[EMAIL]", "[PHONE]", "[CARD]", "[IBAN]", "[SECRET]", "[ADDRESS]"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// firstSentence returns the first sentence of s that is more than a
// greeting, without a leading greeting and capitalized, or "".
func firstSentence(s string) string {
	for _, sen := range sentences(s) {
		if sen = stripGreeting(sen); sen != "" {
			return sen
		}
	}
	return ""
}

// greetingRE matches a salutation at the start of a sentence.
var greetingRE = mustFiltered(`(?i)^(hi|hello|hey|hiya|dear\s[^,!:\n]{1,40}|hallo|guten tag|moin|servus|sehr geehrte[^,!:\n]{0,40}|bonjour|salut|coucou|madame, monsieur|hola|buenos días|buenas|estimad[oa]s?[^,!:\n]{0,40})(\s+(team|all|there|everyone|support|zusammen|à tous|l'équipe|equipo|a todos))?\s*([,!:.]\s*|$)`)

// stripGreeting drops a leading salutation ("Hi,", "Bonjour !", "Hola,")
// and capitalizes what follows; a sentence that is only a greeting
// becomes "".
func stripGreeting(s string) string {
	s = strings.TrimSpace(s)
	if loc := greetingRE.FindStringIndex(s); loc != nil {
		s = strings.TrimSpace(s[loc[1]:])
	}
	return capitalizeFirst(s)
}

// capitalizeFirst upper-cases the first letter of s.
func capitalizeFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
