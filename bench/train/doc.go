// Command train is heard's benchmark of the learned classifier
// (classify/learned). For each size it trains a model on that many
// synthetic tickets from classify/learned/synth, in a child process of its
// own so the peak memory is that size's alone, and prints one JSON line:
//
//   - train_s: wall time of learned.Train (features, fitting, calibration);
//   - peak_rss_bytes: the child's peak resident set (VmHWM from
//     /proc/self/status), which includes generating the tickets;
//     peak_heap_inuse_bytes: the Go heap in use at its highest, sampled
//     every 5 ms during training;
//   - model_bytes and rows: the marshalled model and its hash buckets;
//   - classify_p50_ms / classify_p99_ms: the time to classify one ticket
//     through the whole ensemble with the model loaded from its bytes
//     (rules, the gated model and the merge, as `heard eval --model` runs
//     them), over --test newer tickets, one at a time; model_only_p50_ms
//     and model_only_p99_ms the same for the learned classifier alone;
//   - the accuracies of that ensemble and of the rules alone on them;
//   - load1, the machine's load average, since the latency tails depend
//     on what else runs.
//
// Run it with `make bench`, or directly:
//
//	go run ./bench/train --sizes 10000
//
// This package is not a public API.
package main
