package terms

import (
	"math"
	"slices"
)

// CommonShare is the share of a store's chunks above which a query term
// is left out of the full-text query, when rarer terms remain: such a
// term says little about which chunk answers the question (its inverse
// document frequency is near zero), yet matching every chunk that
// contains it is what makes a full-text query slow.
const CommonShare = 0.2

// Selective returns the terms of ts worth matching on, in their order,
// given each term's document frequency (df: how many of the store's n
// chunks contain it): those in at most CommonShare of the chunks, or, when
// every term is that common, the two rarest. Terms no chunk has are
// dropped.
func Selective(ts []string, df map[string]int, n int) []string {
	var keep, common []string
	for _, t := range ts {
		switch d := df[t]; {
		case d <= 0:
		case float64(d) <= CommonShare*float64(n):
			keep = append(keep, t)
		default:
			common = append(common, t)
		}
	}
	if len(keep) > 0 {
		return keep
	}
	slices.SortStableFunc(common, func(a, b string) int { return df[a] - df[b] })
	return common[:min(2, len(common))]
}

// IDF is the inverse document frequency of a term that df of n chunks
// contain, as BM25 weighs it: ln(1 + (n − df + 0.5) / (df + 0.5)). It is
// positive, highest for a term only one chunk has, and near zero for a
// term every chunk has.
func IDF(df, n int) float64 {
	d := float64(max(0, df))
	return math.Log(1 + (float64(max(n, df))-d+0.5)/(d+0.5))
}
