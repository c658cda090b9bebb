package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/heardhq/heard/sdk"
)

// Competitors is the team's overlay on the patterns' competitor names: by
// default the names are added to the built-in ones (a name already there
// gets the team's phrases instead); with Replace they are the whole list.
type Competitors struct {
	// Replace makes Names the whole competitor list instead of additions.
	Replace bool `json:"replace,omitempty" yaml:"replace"`
	// Names are the competitors. In YAML each is a name ("Harvest", whose
	// phrase is the name itself) or {name, phrases, needs_cue}.
	Names []Competitor `json:"names,omitempty" yaml:"names"`
}

// Competitor is one competitor the team names.
type Competitor struct {
	// Name is how the competitor is reported (signal.competitor's value).
	Name string `json:"name" yaml:"name"`
	// Phrases are the words that name it in a ticket, matched like the
	// rest of the patterns (case and accents ignored). Default: the name.
	Phrases Phrases `json:"phrases,omitempty" yaml:"phrases"`
	// NeedsCue counts a mention only next to a switching cue ("moving to
	// ..."), for names that are common words.
	NeedsCue bool `json:"needs_cue,omitempty" yaml:"needs_cue"`
}

// UnmarshalYAML reads a competitor written as a name or as a mapping, and
// checks it; errors name the line.
func (c *Competitor) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		c.Name = strings.TrimSpace(n.Value)
	} else {
		type plain Competitor
		var v plain
		if err := n.Decode(&v); err != nil {
			return err
		}
		*c = Competitor(v)
		c.Name = strings.TrimSpace(c.Name)
	}
	if c.Name == "" {
		return fmt.Errorf("line %d: competitor: want a non-empty name", n.Line)
	}
	if len(c.Phrases) == 0 {
		if err := checkPhrase(c.Name); err != nil {
			return fmt.Errorf("line %d: competitor %q: %w", n.Line, c.Name, err)
		}
		c.Phrases = Phrases{c.Name}
	}
	return nil
}

// Phrases are literal phrases the team adds: words matched in order, case
// and accents ignored; the patterns' operators (|, *, ..) are not allowed.
type Phrases []string

// UnmarshalYAML reads a list of phrases and checks each; errors name the
// line of the bad phrase.
func (ps *Phrases) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return fmt.Errorf("line %d: want a list of phrases", n.Line)
	}
	out := make(Phrases, 0, len(n.Content))
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: want a phrase (text)", item.Line)
		}
		if err := checkPhrase(item.Value); err != nil {
			return fmt.Errorf("line %d: phrase %q: %w", item.Line, item.Value, err)
		}
		out = append(out, strings.TrimSpace(item.Value))
	}
	*ps = out
	return nil
}

// checkPhrase checks a literal phrase.
func checkPhrase(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case fold(s) == "" || strings.IndexFunc(s, isWordRune) < 0:
		return fmt.Errorf("want words with letters or digits")
	case strings.ContainsAny(s, "|*") || strings.Contains(s, ".."):
		return fmt.Errorf(`want literal words: "|", "*" and ".." are not allowed`)
	case len(strings.Fields(s)) > 8:
		return fmt.Errorf("want at most 8 words")
	}
	return nil
}

// PriorityPhrases map a priority to phrases that raise a ticket to it, in
// YAML `P1: [payroll is blocked]`.
type PriorityPhrases map[sdk.Priority]Phrases

// UnmarshalYAML reads the mapping and checks every priority; errors name
// the line of the bad key or phrase.
func (pp *PriorityPhrases) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping of priority to phrases, e.g. P1: [payroll is blocked]", n.Line)
	}
	out := PriorityPhrases{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		prio, err := sdk.ParsePriority(k.Value)
		if err != nil || !slices.Contains([]sdk.Priority{sdk.P0, sdk.P1, sdk.P2, sdk.P3}, prio) {
			return fmt.Errorf("line %d: key %q: want P0, P1, P2 or P3", k.Line, k.Value)
		}
		var ps Phrases
		if err := v.Decode(&ps); err != nil {
			return err
		}
		out[prio] = append(out[prio], ps...)
	}
	*pp = out
	return nil
}

// overlay is the team's additions to a patterns file, from Config.
type overlay struct {
	competitors     Competitors
	churnPhrases    Phrases
	priorityPhrases PriorityPhrases
}

func (o overlay) empty() bool {
	return len(o.competitors.Names) == 0 && !o.competitors.Replace && len(o.churnPhrases) == 0 && len(o.priorityPhrases) == 0
}

// Names of the rules the overlay adds, as reasons show them.
const (
	teamChurnRule    = "team-churn"
	teamPriorityRule = "team-priority-"
)

// apply puts the overlay on spec: competitor names added or replaced, a
// cancellation rule for the churn phrases, and one rule per priority for
// the priority phrases, each as strong as the built-in rules of its kind.
func (o overlay) apply(spec *fileSpec) {
	if o.competitors.Replace {
		spec.Competitors.Names = nil
	}
	for _, c := range o.competitors.Names {
		n := competitorName{Name: c.Name, Phrases: slices.Clone([]string(c.Phrases)), NeedsCue: c.NeedsCue}
		if i := slices.IndexFunc(spec.Competitors.Names, func(b competitorName) bool { return strings.EqualFold(b.Name, c.Name) }); i >= 0 {
			spec.Competitors.Names[i] = n
			continue
		}
		spec.Competitors.Names = append(spec.Competitors.Names, n)
	}
	if len(o.churnPhrases) > 0 {
		spec.Rules = append(spec.Rules, ruleSpec{Name: teamChurnRule, Label: "the team's churn phrase", Weight: 0.9,
			Tags: map[string]float64{"churn-risk": 1}, Signals: []string{"cancel"}, Phrases: slices.Clone([]string(o.churnPhrases))})
	}
	for _, prio := range []sdk.Priority{sdk.P0, sdk.P1, sdk.P2, sdk.P3} {
		if ps := o.priorityPhrases[prio]; len(ps) > 0 {
			spec.Rules = append(spec.Rules, ruleSpec{Name: teamPriorityRule + strings.ToLower(string(prio)),
				Label: "the team's " + string(prio) + " phrase", Weight: 0.9, Priority: string(prio), Phrases: slices.Clone([]string(ps))})
		}
	}
}

// UnmarshalYAML decodes the section key by key, so that an error in a
// value names its key as well as its line: "line 4: churn_phrases: phrase
// ...".
func (c *Config) UnmarshalYAML(n *yaml.Node) error {
	type plain Config
	if n.Kind != yaml.MappingNode {
		return n.Decode((*plain)(c))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		one := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column, Content: n.Content[i : i+2]}
		if err := one.Decode((*plain)(c)); err != nil {
			return keyed(n.Content[i].Value, err)
		}
	}
	return nil
}

// keyed puts key after the "line N: " of each message in err.
func keyed(key string, err error) error {
	prefix := func(msg string) string {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			if num, text, ok := strings.Cut(rest, ": "); ok && !strings.HasPrefix(text, key+": ") {
				return "line " + num + ": " + key + ": " + text
			}
		}
		return msg
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		out := &yaml.TypeError{Errors: make([]string, len(te.Errors))}
		for i, m := range te.Errors {
			out.Errors[i] = prefix(m)
		}
		return out
	}
	return errors.New(prefix(err.Error()))
}
