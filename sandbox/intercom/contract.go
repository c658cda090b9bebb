package intercom

import (
	_ "embed" // the API description
	"sync"

	"github.com/heardhq/heard/internal/openapicheck"
)

// SpecVersion is the Intercom API version of the embedded description.
const SpecVersion = "2.15"

// specYAML is descriptions/2.15/api.intercom.io.yaml of
// github.com/intercom/Intercom-OpenAPI at commit 8889625a, byte for byte
// (sha256 4449d328089630f6e4472c4ac36e284a029f191ac62518791de28057709bdbc0).
//
//go:embed spec/api.intercom.io.2.15.yaml
var specYAML []byte

// loadContract parses the embedded description once per process.
// kin-openapi rejects Intercom's description as a whole (an array schema
// without items in convert_conversation_to_ticket_request, examples that
// contradict their schemas), which openapicheck never asks it to check;
// every operation heard uses validates requests fine.
var loadContract = sync.OnceValues(func() (*openapicheck.Spec, error) {
	return openapicheck.Load("the Intercom "+SpecVersion+" API description", specYAML)
})
