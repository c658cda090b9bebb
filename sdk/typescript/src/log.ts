// Logging the way heard reads it: one JSON object per line on stderr with
// hclog's keys (@level, @message, @timestamp). heard re-logs each line
// under the plugin's name with its level and extra keys.

/** Extra keys of a log line. */
export type Fields = Record<string, unknown>;

/** Logger writes hclog JSON lines. */
export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

const ORDER = { debug: 0, info: 1, warn: 2, error: 3 } as const;

/** Level is the least severe level a Logger writes. */
export type Level = keyof typeof ORDER;

function value(v: unknown): unknown {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  return String(v);
}

/** formatLine renders one hclog JSON line, without the newline. */
export function formatLine(level: Level, message: string, fields: Fields = {}, now = new Date()): string {
  const out: Record<string, unknown> = { "@level": level, "@message": message, "@timestamp": now.toISOString() };
  for (const [k, v] of Object.entries(fields)) {
    if (!k.startsWith("@")) out[k] = value(v);
  }
  return JSON.stringify(out);
}

/** newLogger returns a Logger writing lines at level and above to write (default stderr). */
export function newLogger(level: Level = "info", write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const at = (lv: Level) => (message: string, fields?: Fields) => {
    if (ORDER[lv] >= ORDER[level]) write(formatLine(lv, message, fields) + "\n");
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** logger is the helper's own Logger; plugins may use it too. */
export const logger: Logger = newLogger();
