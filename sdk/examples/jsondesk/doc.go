// Command jsondesk is an example heard connector plugin for a help desk
// heard does not ship: one with a small JSON-over-HTTP API (see Desk). It
// verifies and decodes the desk's signed webhooks, fetches tickets, writes
// changes back in one call and lists help-center articles, mapping the
// desk's HTTP statuses onto the sdk errors so heard retries, backs off or
// gives up exactly as it does for its built-in connectors.
//
// Build and install it, then point a connector at it:
//
//	go build -o /opt/heard/plugins/jsondesk ./sdk/examples/jsondesk
//	heard plugin install /opt/heard/plugins/jsondesk
//
//	connectors:
//	  - name: acme-desk
//	    type: plugin
//	plugins:
//	  enabled:
//	    - name: jsondesk
//	      connectors: [acme-desk]
//	      settings:
//	        base_url: https://desk.acme.example
//	        token: ${ACME_DESK_TOKEN}
//	        webhook_secret: ${ACME_DESK_WEBHOOK_SECRET}
//	        actor: "user:heard"
package main
