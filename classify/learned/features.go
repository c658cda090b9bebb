package learned

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Feature namespaces keep the hashes of different feature kinds apart.
const (
	nsWord    = 'w'
	nsBigram  = 'b'
	nsChar    = 'c'
	nsSubject = 's'
)

// maxTextBytes bounds the text one ticket contributes, so a pasted log
// cannot make a prediction slow.
const maxTextBytes = 8 << 10

// vector is a sparse, L2-normalised feature vector with sorted, distinct
// indices.
type vector struct {
	idx []uint32
	val []float32
}

// featurizer hashes text into buckets. It is not safe for concurrent use;
// its buffers are reused between calls.
type featurizer struct {
	mask  uint32
	words []string
	hs    []uint32
	runes []rune
}

func newFeaturizer(bits int) *featurizer {
	return &featurizer{mask: uint32(1)<<bits - 1}
}

// fnv-1a, 32 bit, over a namespace byte and the parts.
func hashOf(ns byte, parts ...string) uint32 {
	h := uint32(2166136261)
	h = (h ^ uint32(ns)) * 16777619
	for i, p := range parts {
		if i > 0 {
			h = (h ^ ' ') * 16777619
		}
		for k := 0; k < len(p); k++ {
			h = (h ^ uint32(p[k])) * 16777619
		}
	}
	return h
}

func hashRunes(ns byte, rs []rune) uint32 {
	h := uint32(2166136261)
	h = (h ^ uint32(ns)) * 16777619
	var buf [utf8.UTFMax]byte
	for _, r := range rs {
		n := utf8.EncodeRune(buf[:], r)
		for k := range n {
			h = (h ^ uint32(buf[k])) * 16777619
		}
	}
	return h
}

// tokenize appends the lower-cased words (runs of letters and digits) of s.
func tokenize(dst []string, s string) []string {
	if len(s) > maxTextBytes {
		cut := maxTextBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	start := -1
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			dst = append(dst, strings.ToLower(s[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		dst = append(dst, strings.ToLower(s[start:]))
	}
	return dst
}

// featurize turns a ticket's subject and body into a vector: word unigrams
// and bigrams of both (no bigram spans the two), the subject's words again
// in their own namespace, and character
// 3- to 5-grams of each word padded with "<" and ">"; each bucket weighs
// 1+log(count), and the vector is L2-normalised.
func (f *featurizer) featurize(subject, body string) vector {
	f.hs = f.hs[:0]
	f.words = tokenize(f.words[:0], subject)
	nSubj := len(f.words)
	for _, w := range f.words {
		f.hs = append(f.hs, hashOf(nsSubject, w)&f.mask)
	}
	f.words = tokenize(f.words, body)
	for i, w := range f.words {
		f.hs = append(f.hs, hashOf(nsWord, w)&f.mask)
		if i > 0 && i != nSubj {
			f.hs = append(f.hs, hashOf(nsBigram, f.words[i-1], w)&f.mask)
		}
		f.runes = append(f.runes[:0], '<')
		for _, r := range w {
			f.runes = append(f.runes, r)
		}
		f.runes = append(f.runes, '>')
		for n := 3; n <= 5; n++ {
			for s := 0; s+n <= len(f.runes); s++ {
				f.hs = append(f.hs, hashRunes(nsChar, f.runes[s:s+n])&f.mask)
			}
		}
	}
	slices.Sort(f.hs)
	distinct := 0
	for i := range f.hs {
		if i == 0 || f.hs[i] != f.hs[i-1] {
			distinct++
		}
	}
	// Exact sizes: a training set keeps every example's vector.
	v := vector{idx: make([]uint32, 0, distinct), val: make([]float32, 0, distinct)}
	sum := 0.0
	for i := 0; i < len(f.hs); {
		j := i + 1
		for j < len(f.hs) && f.hs[j] == f.hs[i] {
			j++
		}
		w := 1 + math.Log(float64(j-i))
		v.idx = append(v.idx, f.hs[i])
		v.val = append(v.val, float32(w))
		sum += w * w
		i = j
	}
	if sum > 0 {
		inv := float32(1 / math.Sqrt(sum))
		for k := range v.val {
			v.val[k] *= inv
		}
	}
	return v
}
