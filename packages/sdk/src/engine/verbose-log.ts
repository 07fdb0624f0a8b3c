// What the engine does, told on the console when DURABLE_VERBOSE_MODE is "true": the
// invocation's state as loaded, each checkpoint call and its answer, how the invocation ended.
// For debugging a handler's run; off by default, and then it costs one boolean test per event.

/** Read once: the environment is not re-read on the hot path (see refreshLogConfig). */
let verbose = readSwitch();

function readSwitch(): boolean {
  return typeof process !== "undefined" && process.env.DURABLE_VERBOSE_MODE === "true";
}

/**
 * Reads `DURABLE_VERBOSE_MODE` again: set it to `"true"` (before or after the SDK loaded, then
 * call this) and the engine writes what it does — the state it loaded, each checkpoint call, how
 * each invocation ended — as `console.debug` lines prefixed `[cairn]`.
 */
export function refreshLogConfig(): void {
  verbose = readSwitch();
}

/** Writes one verbose line; `details` is built only when verbose mode is on. */
export function verboseLog(message: string, details?: () => Record<string, unknown>): void {
  if (!verbose) return;
  const data = details?.();
  console.debug(data === undefined ? `[cairn] ${message}` : `[cairn] ${message} ${JSON.stringify(data)}`);
}
