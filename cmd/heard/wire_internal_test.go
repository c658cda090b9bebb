package main

import (
	"slices"
	"testing"
)

func TestSearchQueriesSplitTheQuestionFromItsBackground(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"How do I invite my team?\nWe just signed up last week. How do I invite my five colleagues?",
			[]string{"How do I invite my team?\nWe just signed up last week. How do I invite my five colleagues?", "How do I invite my team?", "How do I invite my five colleagues?"}},
		{"Export\nCan I export?", []string{"Export\nCan I export?", "Can I export?"}}, // a one-word subject is no search
		{"Refund please\nI was charged twice.", []string{"Refund please\nI was charged twice.", "Refund please"}},
		{"only a subject", []string{"only a subject"}},
	}
	for _, tc := range cases {
		if got := searchQueries(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("searchQueries(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
