// Package overlay is the settings file the admin console owns
// (console-overlay.yaml in the data directory): per-gate confidence
// thresholds and per-connector modes (shadow or live) laid over the config
// file. Settings holds the current overlay, writes every change to the
// file first and then hands the new overlay to its listeners, which swap
// it into the running pipeline without a restart.
//
// This package is not a public API.
package overlay
