// Command vip is an example heard classifier plugin: a plan-aware priority
// booster driven by its own settings. Tickets from VIP requesters (listed
// e-mails or domains, or customers above an MRR) get a higher priority and
// a "vip" tag; customers on plans that promise faster answers get at least
// their plan's priority. It never lowers a priority.
//
// Build and install it:
//
//	go build -o /opt/heard/plugins/vip ./sdk/examples/vip
//	heard plugin install /opt/heard/plugins/vip
//
// and enable it in heard's config:
//
//	plugins:
//	  enabled:
//	    - name: vip
//	      connectors: [acme-zendesk]
//	      settings:
//	        plans: {enterprise: P1, business: P2}
//	        vip_domains: [bigco.example]
//	        mrr_at_least: 5000
//
// docs/plugins.md walks through writing one like it.
package main
