// The default logger's output outside an orchestrator that collects lines (on Lambda, in a plain
// Node process): what the AWS SDK's default logger writes, so a test or a log query written for
// it reads the same lines. That logger emulates the Lambda runtime's JSON log format: one JSON
// object per line, DEBUG and INFO on stdout, WARN and ERROR on stderr, lines below
// AWS_LAMBDA_LOG_LEVEL dropped (DEBUG when unset or unknown). AWS_LAMBDA_LOG_FORMAT is not read:
// the AWS SDK writes JSON under either format, and so does Cairn.
import type { DurableLogData, DurableLogLevel } from "../types/logger.js";

const PRIORITY: Record<DurableLogLevel, number> = { DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5 };

/** Whether AWS_LAMBDA_LOG_LEVEL lets a line of `level` through (read per line: tests change it). */
export function defaultLogLevelEnabled(level: DurableLogLevel): boolean {
  const configured = globalThis.process?.env?.AWS_LAMBDA_LOG_LEVEL?.toUpperCase();
  const threshold = configured !== undefined && configured in PRIORITY ? PRIORITY[configured as DurableLogLevel] : PRIORITY.DEBUG;
  return PRIORITY[level] >= threshold;
}

/** Writes one line where the AWS SDK's default logger would: stdout for DEBUG/INFO, stderr for WARN/ERROR. */
export function writeDefaultLogLine(level: DurableLogLevel, line: string): void {
  const stream = level === "WARN" || level === "ERROR" ? globalThis.process?.stderr : globalThis.process?.stdout;
  stream?.write(`${line}\n`);
}

/**
 * The JSON line for one call, field for field as the AWS SDK writes it: `requestId`, `timestamp`,
 * `level`, `executionArn`, the operation's `operationId` / `operationName` / `attempt`, plugin
 * fields, then `message` — the value itself when one was logged (an Error as `{ errorType,
 * errorMessage, stackTrace }`), else the values formatted as console.log formats them, plus the
 * first Error's `errorType`, `errorMessage` and `stackTrace`.
 */
export function formatDefaultLogLine(level: DurableLogLevel, data: DurableLogData, params: readonly unknown[]): string {
  const { requestId, executionArn, operationId, operationName, attempt, ...enriched } = data;
  const line: Record<string, unknown> = {
    requestId: requestId === "" ? undefined : requestId,
    timestamp: new Date().toISOString(),
    level,
    executionArn,
  };
  if (operationId !== undefined) line.operationId = operationId;
  if (operationName !== undefined) line.operationName = operationName;
  if (attempt !== undefined) line.attempt = attempt;
  Object.assign(line, enriched);
  if (params.length === 1) {
    line.message = params[0];
    try {
      return JSON.stringify(line, errorReplacer);
    } catch {
      // Not JSON (a cycle, a BigInt): the message becomes its console.log text.
      line.message = formatLikeConsole(params);
      return JSON.stringify(line);
    }
  }
  line.message = formatLikeConsole(params);
  const error = params.find((param): param is Error => param instanceof Error);
  if (error) Object.assign(line, errorFields(error));
  return JSON.stringify(line);
}

function errorFields(error: Error): { errorType: string; errorMessage: string; stackTrace: string[] } {
  return {
    // The class name, as the Lambda runtime reports it (not `error.name`).
    errorType: (error.constructor as { name?: string } | undefined)?.name ?? "UnknownError",
    errorMessage: error.message,
    stackTrace: typeof error.stack === "string" ? error.stack.split("\n") : [],
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? Object.assign(errorFields(value), value) : value;
}

type Format = (options: { breakLength: number }, ...args: unknown[]) => string;

let nodeFormat: Format | null | undefined;

/**
 * console.log's formatting (util.formatWithOptions, on one line). node:util is looked up at run
 * time rather than imported, so a handler bundle stays free of Node modules; where it is missing
 * the values are joined with objects as JSON.
 */
function formatLikeConsole(params: readonly unknown[]): string {
  if (nodeFormat === undefined) {
    const util = globalThis.process?.getBuiltinModule?.("node:util") as { formatWithOptions?: Format } | undefined;
    nodeFormat = typeof util?.formatWithOptions === "function" ? util.formatWithOptions : null;
  }
  if (nodeFormat) return nodeFormat({ breakLength: Infinity }, ...params);
  return params.map(plainText).join(" ");
}

function plainText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
