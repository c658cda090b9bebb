// Package eval measures a classifier against a labelled set of tickets: it
// reads the set from CSV (ReadCSV), runs any sdk.Classifier over it
// sequentially (Run), and reports priority and tag accuracy, macro-F1,
// per-class precision/recall/F1, the priority confusion matrix, throughput
// and latency (Report).
//
// The fixture classify/testdata/labelled.csv is the reference set; its README
// describes how it was labelled.
//
// This package is not a public API: it is internal tooling and may change
// without notice.
package eval
