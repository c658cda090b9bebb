package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// An atom is one word a pattern asks for: an exact folded word, or a prefix
// ("kündig*"). A token matches every atom on its path through the trie: the
// prefixes along the way and the exact word at its end.

// lexicon maps folded tokens to atoms and stopword languages in one walk.
type lexicon struct {
	root  [256]int32 // first byte → node; 0 means none (node 0 is the root)
	nodes []lexNode
	edges []lexEdge
}

type lexNode struct {
	elo, ehi      int32 // children: edges[elo:ehi], sorted by byte
	exact, prefix int32 // atom ids, -1 when none
	langs         uint16
}

type lexEdge struct {
	b  byte
	to int32
}

// walk appends the atoms tok matches to atoms and returns the stopword
// languages of tok as a bit mask.
func (lx *lexicon) walk(tok []byte, atoms []int32) ([]int32, uint16) {
	if len(tok) == 0 || len(lx.nodes) == 0 {
		return atoms, 0
	}
	n := lx.root[tok[0]]
	if n == 0 {
		return atoms, 0
	}
	for k := 0; ; {
		nd := &lx.nodes[n]
		if nd.prefix >= 0 {
			atoms = append(atoms, nd.prefix)
		}
		if k++; k == len(tok) {
			if nd.exact >= 0 {
				atoms = append(atoms, nd.exact)
			}
			return atoms, nd.langs
		}
		c, next := tok[k], int32(0)
		for e := nd.elo; e < nd.ehi; e++ {
			if eb := lx.edges[e].b; eb >= c {
				if eb == c {
					next = lx.edges[e].to
				}
				break
			}
		}
		if next == 0 {
			return atoms, 0
		}
		n = next
	}
}

// lexBuilder collects atoms and stopwords, then flattens them into a
// lexicon.
type lexBuilder struct {
	atoms map[atomKey]int32
	root  *buildNode
	n     int
}

type atomKey struct {
	word   string
	prefix bool
}

type buildNode struct {
	kids          map[byte]*buildNode
	exact, prefix int32
	langs         uint16
}

func newLexBuilder() *lexBuilder {
	return &lexBuilder{atoms: make(map[atomKey]int32), root: &buildNode{exact: -1, prefix: -1}}
}

func (b *lexBuilder) node(word string) *buildNode {
	n := b.root
	for i := 0; i < len(word); i++ {
		if n.kids == nil {
			n.kids = make(map[byte]*buildNode)
		}
		k := n.kids[word[i]]
		if k == nil {
			k = &buildNode{exact: -1, prefix: -1}
			n.kids[word[i]] = k
		}
		n = k
	}
	return n
}

// atom returns the id of the atom for a folded word or prefix.
func (b *lexBuilder) atom(word string, prefix bool) int32 {
	k := atomKey{word, prefix}
	if id, ok := b.atoms[k]; ok {
		return id
	}
	id := int32(b.n)
	b.n++
	b.atoms[k] = id
	n := b.node(word)
	if prefix {
		n.prefix = id
	} else {
		n.exact = id
	}
	return id
}

// stopword marks a folded word as a stopword of language bit l.
func (b *lexBuilder) stopword(word string, l int) {
	b.node(word).langs |= 1 << l
}

func (b *lexBuilder) build() lexicon {
	lx := lexicon{nodes: []lexNode{{exact: -1, prefix: -1}}}
	var add func(n *buildNode) int32
	add = func(n *buildNode) int32 {
		id := int32(len(lx.nodes))
		lx.nodes = append(lx.nodes, lexNode{exact: n.exact, prefix: n.prefix, langs: n.langs})
		keys := make([]byte, 0, len(n.kids))
		for c := range n.kids {
			keys = append(keys, c)
		}
		slices.Sort(keys)
		kids := make([]int32, len(keys))
		for i, c := range keys {
			kids[i] = add(n.kids[c])
		}
		lo := int32(len(lx.edges))
		for i, c := range keys {
			lx.edges = append(lx.edges, lexEdge{b: c, to: kids[i]})
		}
		lx.nodes[id].elo, lx.nodes[id].ehi = lo, int32(len(lx.edges))
		return id
	}
	for c, k := range b.root.kids {
		lx.root[c] = add(k)
	}
	return lx
}

// Phrase owners: what a matched phrase is evidence of.
const (
	ownRule       uint8 = iota // owner is a rule index
	ownCompetitor              // owner is a competitor index
	ownCue                     // owner is a token flag
)

// slot is one position of a phrase: a set of alternative atoms, or a gap
// of 0..gap tokens.
type slot struct {
	gap   bool
	atoms []int32
}

type phrase struct {
	slots []slot
	kind  uint8
	owner int32
	src   string // as written in the patterns file
}

// phraseIndex lists, for each atom, the phrases whose first slot accepts
// it.
type phraseIndex [][]int32

func buildIndex(phrases []phrase, natoms int, keep func(*phrase) bool) phraseIndex {
	idx := make(phraseIndex, natoms)
	for i := range phrases {
		p := &phrases[i]
		if !keep(p) {
			continue
		}
		for _, a := range p.slots[0].atoms {
			idx[a] = append(idx[a], int32(i))
		}
	}
	return idx
}

// parsePhrase compiles one phrase of the patterns file. Words are separated
// by spaces; "a|b" accepts either word at one position; "word*" accepts any
// word starting with "word" (at least three letters); ".." skips up to the
// configured gap of words within a clause, never skipping a negation or a
// gap stop ("and"). Words are folded like ticket text,
// so "Kündigung" and "kundigung" are the same.
func (c *compiler) parsePhrase(src string) ([]slot, error) {
	fields := strings.Fields(src)
	if len(fields) == 0 {
		return nil, errors.New("empty phrase")
	}
	var slots []slot
	for fi, f := range fields {
		if f == ".." {
			if fi == 0 || fi == len(fields)-1 || slots[len(slots)-1].gap {
				return nil, fmt.Errorf("phrase %q: \"..\" must stand between two words", src)
			}
			slots = append(slots, slot{gap: true})
			continue
		}
		alts := strings.Split(f, "|")
		var sl slot
		for _, alt := range alts {
			prefix := strings.HasSuffix(alt, "*")
			alt = strings.TrimSuffix(alt, "*")
			if strings.ContainsAny(alt, "*") {
				return nil, fmt.Errorf("phrase %q: \"*\" may only end a word", src)
			}
			words := c.words(alt)
			switch {
			case len(words) == 0:
				return nil, fmt.Errorf("phrase %q: %q has no letters or digits", src, alt)
			case len(words) > 1 && len(alts) > 1:
				return nil, fmt.Errorf("phrase %q: alternative %q is %d words; alternatives must be single words", src, alt, len(words))
			case len(words) > 1:
				for _, w := range words[:len(words)-1] {
					slots = append(slots, slot{atoms: []int32{c.lex.atom(w, false)}})
				}
			}
			last := words[len(words)-1]
			if prefix && utf8.RuneCountInString(last) < 3 {
				return nil, fmt.Errorf("phrase %q: prefix %q is shorter than 3 letters", src, last+"*")
			}
			if a := c.lex.atom(last, prefix); !slices.Contains(sl.atoms, a) {
				sl.atoms = append(sl.atoms, a)
			}
		}
		slots = append(slots, sl)
	}
	return slots, nil
}

// words tokenizes s exactly as ticket text is tokenized and returns the
// folded words.
func (c *compiler) words(s string) []string {
	sc := newScratch(c.bare)
	c.bare.addSegment(sc, s, 1, false, len(s))
	out := make([]string, 0, len(sc.toks))
	for _, t := range sc.toks {
		out = append(out, string(sc.fold[t.fs:t.fe]))
	}
	return out
}

// matchRest matches p's slots from k on against tokens from j on and
// returns the end of the match. A phrase never crosses a clause boundary and
// a gap never skips a negation or a gap stop.
func (m *model) matchRest(s *scratch, p *phrase, k, j int) (int, bool) {
	for ; k < len(p.slots); k++ {
		sl := &p.slots[k]
		if sl.gap {
			for skip := 0; skip <= m.set.gap; skip++ {
				t := j + skip
				if t >= len(s.toks) || s.toks[t].flags&fBrk != 0 {
					return 0, false
				}
				if skip > 0 && s.toks[t-1].flags&(fNeg|fGapStop) != 0 {
					return 0, false
				}
				if e, ok := m.matchRest(s, p, k+1, t); ok {
					return e, true
				}
			}
			return 0, false
		}
		if j >= len(s.toks) || s.toks[j].flags&fBrk != 0 || !s.tokenHas(j, sl.atoms) {
			return 0, false
		}
		j++
	}
	return j, true
}

// tokenHas reports whether token j matched any of atoms.
func (s *scratch) tokenHas(j int, atoms []int32) bool {
	t := &s.toks[j]
	for _, ta := range s.atoms[t.alo:t.ahi] {
		for _, a := range atoms {
			if a == ta {
				return true
			}
		}
	}
	return false
}
