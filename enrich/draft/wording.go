package draft

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Tones a team may set for its replies.
const (
	ToneAuto   = "auto"   // match the customer's register (the default)
	ToneFormal = "formal" // always formal ("Dear", Sie, vous, usted)
	ToneCasual = "casual" // always casual ("Hi", du, tu, tú)
)

// Phrase is one phrase of a team's wording overlay, with the line it was
// written on (0 when it did not come from a file).
type Phrase struct {
	Text string
	Line int
}

// Phrases is a wording overlay by language and key: language (en, de, fr,
// es) → phrase key (the built-in phrasebook's, e.g. "bug_empathy") or, for
// an extra sentence, "extra.<situation>" → text. Decoding it from YAML
// checks every language, key, slot and variant, and reports each problem
// with its line.
type Phrases map[string]map[string]Phrase

// UnmarshalYAML decodes and validates the overlay. It implements
// yaml.Unmarshaler.
func (p *Phrases) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: phrases: want a mapping of language to phrases", n.Line)}}
	}
	out := Phrases{}
	var errs []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		lk, lv := n.Content[i], n.Content[i+1]
		if lv.Kind != yaml.MappingNode {
			errs = append(errs, fmt.Sprintf("line %d: phrases.%s: want a mapping of phrase key to text", lv.Line, lk.Value))
			continue
		}
		m := map[string]Phrase{}
		for j := 0; j+1 < len(lv.Content); j += 2 {
			kk, kv := lv.Content[j], lv.Content[j+1]
			if kv.Kind != yaml.ScalarNode {
				errs = append(errs, fmt.Sprintf("line %d: phrases.%s.%s: want text", kv.Line, lk.Value, kk.Value))
				continue
			}
			m[kk.Value] = Phrase{Text: kv.Value, Line: kk.Line}
		}
		out[lk.Value] = m
	}
	errs = append(errs, out.problems()...)
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	*p = out
	return nil
}

// slotRE finds a "{{slot}}" in a phrase.
var slotRE = regexp.MustCompile(`\{\{([^{}]*)\}\}`)

// overlaySlots can be used in any phrase of an overlay.
var overlaySlots = []string{"company", "product", "agent"}

// extraPrefix opens the key of an extra sentence for a situation.
const extraPrefix = "extra."

// problems lists every problem of the overlay, "line N: " first when the
// line is known, in a stable order.
func (p Phrases) problems() []string {
	var out []string
	langs := make([]string, 0, len(p))
	for l := range p {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		keys := make([]string, 0, len(p[lang]))
		for k := range p[lang] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if _, ok := phrasebooks[lang]; !ok {
			line := 0
			for _, k := range keys {
				line = p[lang][k].Line - 1
				break
			}
			out = append(out, at(line, fmt.Sprintf("phrases.%s: unknown language (want one of en, de, fr, es)", lang)))
			continue
		}
		for _, key := range keys {
			ph := p[lang][key]
			where := "phrases." + lang + "." + key
			allowed := slices.Clone(overlaySlots)
			if s, ok := strings.CutPrefix(key, extraPrefix); ok {
				if !Situation(s).Valid() {
					out = append(out, at(ph.Line, fmt.Sprintf("%s: unknown situation %q (want one of %s)", where, s, situationNames())))
					continue
				}
			} else {
				builtin, ok := phrasesEN[key]
				if !ok {
					hint := ""
					if c := closestKey(key); c != "" {
						hint = fmt.Sprintf(" (did you mean %q?)", c)
					}
					out = append(out, at(ph.Line, fmt.Sprintf("%s: unknown phrase key%s", where, hint)))
					continue
				}
				for _, m := range slotRE.FindAllStringSubmatch(builtin, -1) {
					allowed = append(allowed, m[1])
				}
			}
			if strings.TrimSpace(ph.Text) == "" {
				out = append(out, at(ph.Line, where+": empty text"))
				continue
			}
			for _, m := range slotRE.FindAllStringSubmatch(ph.Text, -1) {
				if !slices.Contains(allowed, m[1]) {
					out = append(out, at(ph.Line, fmt.Sprintf("%s: unknown slot {{%s}} (this phrase may use %s)", where, m[1], slotList(allowed))))
				}
			}
			if msg := variantProblem(ph.Text); msg != "" {
				out = append(out, at(ph.Line, where+": "+msg))
			}
		}
	}
	return out
}

func at(line int, msg string) string {
	if line > 0 {
		return fmt.Sprintf("line %d: %s", line, msg)
	}
	return msg
}

func slotList(slots []string) string {
	var uniq []string
	for _, s := range slots {
		if !slices.Contains(uniq, s) {
			uniq = append(uniq, "{{"+s+"}}")
		}
	}
	return strings.Join(uniq, ", ")
}

func situationNames() string {
	var names []string
	for _, s := range Situations() {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

// variantProblem checks the "[formal|casual]" variants of a phrase: every
// "[" with a "|" before its "]" is closed.
func variantProblem(p string) string {
	depth := 0
	for _, r := range p {
		switch r {
		case '[':
			depth++
			if depth > 1 {
				return "nested [ in a [formal|casual] variant"
			}
		case ']':
			depth = max(0, depth-1)
		}
	}
	if depth > 0 {
		return "a [formal|casual] variant is not closed with ]"
	}
	return ""
}

// closestKey is the built-in phrase key nearest to key, or "".
func closestKey(key string) string {
	best, bestD := "", 4
	for k := range phrasesEN {
		if d := levenshtein(key, k); d < bestD || d == bestD && best != "" && k < best {
			best, bestD = k, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// Wording is the team's own wording, an overlay on the built-in
// phrasebooks (TemplateConfig embeds it).
type Wording struct {
	// Company is the team's company name; it follows the agent's name in
	// the sign-off and fills {{company}}.
	Company string `yaml:"company"`
	// Product is the product's name; it fills {{product}} and counts as a
	// product name worth repeating back to the customer.
	Product string `yaml:"product"`
	// SignOff replaces the closing line ("Best wishes,") in every
	// language; phrases.<lang>.signoff overrides it per language.
	SignOff string `yaml:"sign_off"`
	// Tone is auto (match the customer's register), formal or casual.
	Tone string `yaml:"tone"`
	// Phrases replace built-in phrases or add an extra sentence per
	// situation ("extra.<situation>"), per language.
	Phrases Phrases `yaml:"phrases"`
}

// validate reports the problems of w.
func (w Wording) validate() []error {
	var errs []error
	switch w.Tone {
	case "", ToneAuto, ToneFormal, ToneCasual:
	default:
		errs = append(errs, fmt.Errorf("tone %q: want auto, formal or casual", w.Tone))
	}
	for name, v := range map[string]string{"company": w.Company, "product": w.Product, "sign_off": w.SignOff} {
		if strings.ContainsAny(v, "\n\r") {
			errs = append(errs, fmt.Errorf("%s: must be one line", name))
		}
		if slotRE.MatchString(v) {
			errs = append(errs, fmt.Errorf("%s: must not hold a {{slot}}", name))
		}
	}
	for _, p := range w.Phrases.problems() {
		errs = append(errs, errors.New(p))
	}
	return errs
}

// book returns the phrasebook for lang with the overlay applied, slots
// for company, product and agent left to fill.
func (w Wording) book(lang string) phrasebook {
	base := phrasebooks[lang]
	over := w.Phrases[lang]
	if w.SignOff == "" && len(over) == 0 {
		return base
	}
	pb := make(phrasebook, len(base)+len(over))
	for k, v := range base {
		pb[k] = v
	}
	if w.SignOff != "" {
		pb["signoff"] = w.SignOff
	}
	for k, v := range over {
		pb[k] = v.Text
	}
	return pb
}

// extra is the team's extra sentence for situation s in lang, or "".
func (w Wording) extra(lang string, s Situation) string {
	return w.Phrases[lang][extraPrefix+string(s)].Text
}

// fill puts company, product and agent into text's overlay slots.
func (w Wording) fill(text, agent string) string {
	if !strings.Contains(text, "{{") {
		return text
	}
	return strings.NewReplacer("{{company}}", w.Company, "{{product}}", w.Product, "{{agent}}", agent).Replace(text)
}
