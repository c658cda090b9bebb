// Command heard is the heard sidecar: it receives help-desk webhooks,
// enriches each ticket and writes the results back through the vendor's API.
//
// Usage:
//
//	heard serve [--config FILE]   run the webhook receiver and workers
//	heard migrate [--config FILE] create or upgrade the database schema
//	heard queue dead|retry ...    inspect and retry dead-lettered jobs
//	heard version                 print the version
//
// With no config file, heard serve listens on :8080 and keeps its data in
// ./heard-data (an embedded SQLite file). See docs/configuration.md.
//
// The demo and the emulated help desks are a separate command,
// heard-sandbox, which this binary does not link.
package main
