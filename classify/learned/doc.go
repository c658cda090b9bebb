// Package learned is heard's built-in learned classifier, component ID
// "classify.learned": a linear model per field (priority, primary tag,
// secondary tags, sentiment) over hashed word and character n-grams,
// trained offline on a desk's own labelled tickets.
//
// Train fits one multinomial logistic regression per single-label field and
// one binary model per tag for the secondary tags (one-vs-rest), with
// AdaGrad SGD, class-balanced weights (single-label fields) and L2
// regularisation, deterministic for a seed. The newest tickets are held
// out: training a field stops once an epoch no longer lowers the loss on
// them, a temperature is fitted on them so the confidence is calibrated,
// each secondary tag gets the decision threshold that maximises its F1 on
// them, and the holdout metrics (accuracy, macro-F1, per-class scores,
// expected calibration error) are stored in the model's metadata. Model.Marshal writes a versioned, gzip-compressed
// binary file; Unmarshal validates it.
//
// Classifier implements sdk.Classifier over a Model. Gated and
// EnsembleMerge implement the merge policy that lets the model decide a
// field only where it saw enough examples of the predicted class and is
// confident, leaving the rules' value otherwise.
//
// This package is not a public API: it may change without notice.
package learned
