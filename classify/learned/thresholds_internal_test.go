package learned

import "testing"

func TestFitThresholds(t *testing.T) {
	// Ten copies of four tickets with one tag. Without a primary tag the
	// F1 of predicting it at or above θ is 0 above 0.9, 2/3 in (0.7, 0.9],
	// 1/2 in (0.3, 0.7], 4/5 in (0.2, 0.3] and 2/3 below: the best is
	// 0.30, the highest threshold of the best interval.
	type ticket struct {
		p           float64
		gold        bool
		pred, goldP int
	}
	lowPrecision := []ticket{{0.9, true, -1, -1}, {0.3, true, -1, -1}, {0.3, true, -1, -1},
		{0.3, false, -1, -1}, {0.3, false, -1, -1}, {0.3, false, -1, -1}, {0.3, false, -1, -1}}
	var primaryToo []ticket
	for range 6 {
		primaryToo = append(primaryToo, ticket{0.95, false, 0, 0})
	}
	cases := []struct {
		name    string
		tickets []ticket
		copies  int
		want    float64
	}{
		{"secondary only", []ticket{{0.9, true, -1, -1}, {0.7, false, -1, -1}, {0.3, true, -1, -1}, {0.2, false, -1, -1}}, 10, 0.30},
		// A third of the tickets at 0.3 have the tag: alone, F1 is 1/2 at
		// or above 0.31 and 3/5 below; when the tag is also the
		// (correctly predicted) primary tag of six more tickets, those
		// count too, F1 is 7/8 at or above 0.31 and 9/11 below, and the
		// secondary at 0.3 is no longer worth predicting.
		{"low precision", lowPrecision, 10, 0.30},
		{"low precision, primary too", append(lowPrecision, primaryToo...), 10, 0.90},
		{"too few positives", []ticket{{0.9, true, -1, -1}, {0.2, false, -1, -1}}, 9, defaultThreshold},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ps [][]float64
			var gold [][]bool
			var pred, goldP []int
			for range tc.copies {
				for _, tk := range tc.tickets {
					ps = append(ps, []float64{tk.p})
					gold = append(gold, []bool{tk.gold})
					pred, goldP = append(pred, tk.pred), append(goldP, tk.goldP)
				}
			}
			got := fitThresholds(ps, gold, pred, goldP)
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("fitThresholds = %v; want [%v]", got, tc.want)
			}
		})
	}
}
