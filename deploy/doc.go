// Package deploy holds what heard ships with besides its source: the
// compose file (compose.yaml, with heard.yaml and the .example environment
// files) next to the repository's Containerfile and scripts/release.sh. It
// has no code, only tests: the compose file is parsed and checked against
// the Containerfile and the configuration loader, the image is built with
// buildah where it is installed, and the release build is run for every
// target.
//
// It is not a public API.
package deploy
