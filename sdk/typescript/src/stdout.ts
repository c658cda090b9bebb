// Keeps stdout for go-plugin's handshake line only.
//
// guard() points process.stdout's writes (console.log included) at stderr,
// so that a stray print cannot come before the handshake and break the
// launch; writeHandshake() still reaches the real stdout.

type Write = typeof process.stdout.write;

let real: Write | undefined;

/** guard sends later stdout writes to stderr. Safe to call twice. */
export function guard(): void {
  if (real !== undefined) return;
  real = process.stdout.write.bind(process.stdout) as Write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as Write;
}

/** writeHandshake writes line and a newline to the real stdout. */
export function writeHandshake(line: string): void {
  guard();
  (real as Write)(line + "\n");
}

/**
 * release undoes guard: stdout writes reach stdout again. For a process
 * that imports the helper without being a plugin, such as a test runner.
 */
export function release(): void {
  if (real === undefined) return;
  process.stdout.write = real;
  real = undefined;
}
