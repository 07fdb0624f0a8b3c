// Collects the log lines of one requirement's run, in the order they were written: records from
// ctx.logger / step loggers (the runner's onLog) and whatever the handler or its
// plugins print to stdout (console.log or process.stdout.write; JSON lines become objects, other
// lines `{ message }`). Requirements run side by side in real time, so lines are attributed by
// AsyncLocalStorage — the async context the run started in — never by time, and one requirement's
// lines never reach another's. Captured lines are not printed.
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";

export type LogLine = Record<string, unknown>;

const current = new AsyncLocalStorage<LogLine[]>();
let installed = false;

function parseLine(line: string): LogLine {
  const trimmed = line.trim();
  if (trimmed.startsWith("{")) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as LogLine;
    } catch {
      // not JSON: kept as text below
    }
  }
  return { message: line };
}

function capture(sink: LogLine[], text: string): void {
  for (const line of text.split("\n")) if (line.trim() !== "") sink.push(parseLine(line));
}

/** Routes stdout writes and console output made inside a capture to it; everything else passes through. */
function install(): void {
  if (installed) return;
  installed = true;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const sink = current.getStore();
    if (!sink) return write(chunk, ...rest);
    capture(sink, typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const callback = rest.find((r): r is never => typeof r === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  // The test framework may give console its own stream, so console is routed explicitly too.
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      const sink = current.getStore();
      if (sink) capture(sink, format(...args));
      else original(...args);
    };
  }
}

/**
 * Runs `fn` with its own capture: `lines` fills up as output is written, and `fn` adds the run's
 * ctx.logger records to it itself (e.g. from the runner's `onLog`), so one list holds both in order.
 */
export function withLogCapture<T>(fn: (lines: LogLine[]) => Promise<T>): Promise<T> {
  install();
  const lines: LogLine[] = [];
  return current.run(lines, () => fn(lines));
}
