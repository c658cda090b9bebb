// Package retrain keeps heard's learned classifier current: it trains a
// candidate on a desk's labelled tickets, compares it with the current
// model on the newest tickets (which the candidate never trained on),
// stores it as a new version and promotes it only when it is at least as
// good. The same steps serve `heard train` and the periodic retrain job.
//
// Labels come from a labelled CSV, from a connector's solved tickets (the
// agents' final priority and tags), or from the index of solved tickets
// that the pipeline fills as tickets are solved — which also carries the
// corrections agents made before solving.
//
// This package is not a public API: it may change without notice.
package retrain
