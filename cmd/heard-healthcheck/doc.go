// Command heard-healthcheck is the container image's health probe. The
// image is built on scratch, with no shell or curl, so HEALTHCHECK runs this
// small static binary: it asks heard's GET /readyz and exits 0 on 200, 1
// otherwise (printing why).
//
//	heard-healthcheck [URL]
//
// The URL defaults to HEARD_HEALTHCHECK_URL, else http://127.0.0.1:PORT/readyz
// with PORT from HEARD_LISTEN (default 8080). It is not a public API.
package main
