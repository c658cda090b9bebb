// Package synth generates labelled support tickets for training and
// evaluating classifiers: deterministic for a seed, from several kinds of
// business (an online shop, a bank app, a SaaS product, a telecom/ISP and a
// travel booking site), with varied phrasing, typos, tone that does not
// change priority, vague subjects and about 5% label noise. Labels follow
// the default taxonomy and the priority policy (P0..P3).
//
// This package is not a public API: it is test and benchmark tooling.
package synth
