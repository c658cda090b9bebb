// Package intercomapi is a raw client for the parts of Intercom's REST API
// heard uses, typed after the official OpenAPI description of API version
// 2.15 (github.com/intercom/Intercom-OpenAPI, descriptions/2.15). Every call
// goes through a vendorapi.Client, so it is rate limited, retried and mapped
// to sdk errors there; this package only builds requests (Authorization:
// Bearer, Intercom-Version, Accept: application/json) and decodes answers.
//
// The types decode leniently where Intercom's answers are known to stray
// from the schema: ids that arrive as numbers (FlexString), timestamps that
// arrive as strings (Unix), and a pages.next that is an object in the spec
// but a URL in older answers (NextPage).
//
// This package is not a public API.
package intercomapi
