// Command importerror is a test fixture: a "plugin" that dies before the
// handshake the way a Python plugin with a missing module does. It prints a
// traceback (with an e-mail address the host must redact) to stderr and
// exits with status 1, printing nothing on stdout.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintf(os.Stderr, `Traceback (most recent call last):
  File "/opt/plugins/vip/plugin.py", line 3, in <module>
    import grpc
ImportError: No module named 'grpc' (report to jane.doe@example.com, pid %d)
`, os.Getpid())
	os.Exit(1)
}
