// Command heard-sandbox runs heard against emulated help desks, for trying
// heard and for its demonstration. It is a separate binary so that heard,
// the one users deploy, carries no emulations, vendor API descriptions or
// demo data.
//
// Usage:
//
//	heard-sandbox demo [--json] [--keep] [--heard-bin PATH]
//	    start heard on a throwaway embedded store against the emulated
//	    Zendesk, Freshdesk and Intercom, open sample tickets and show what
//	    heard did (make demo)
//	heard-sandbox serve [--listen ADDR] [--heard URL] [--account NAME] [--auto-reply] [--read-only]
//	    serve the emulated help desks for a heard you run yourself
//
// The demo runs the real heard binary (heard kb ingest, then heard serve)
// as a child process: --heard-bin names it, or the demo builds it from this
// checkout with `go build`. See README.md and docs/connect.md.
package main
