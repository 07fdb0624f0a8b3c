// A dead-lettered message as the export holds it, and the check of one export line.

/** One dead-lettered message, as an SQS-like export writes it: one JSON object per line. */
export interface DeadLetterMessage {
  /** The message's id at its source: the idempotency key of its re-delivery. */
  messageId: string;
  /** The payload, as sent. */
  body: string;
  /** The source's attributes (e.g. `ApproximateReceiveCount`, `SentTimestamp`), as strings. */
  attributes: Record<string, string>;
}

/** An export line that is not a message. It names the file and the line, so it can be found and fixed. */
export class MalformedExportLineError extends Error {
  override name = "MalformedExportLineError";
}

/**
 * Parses line `line` (1-based) of `file`, or throws {@link MalformedExportLineError} saying what
 * is wrong with it.
 */
export function parseExportLine(text: string, file: string, line: number): DeadLetterMessage {
  const where = `${file} line ${line}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedExportLineError(`${where}: not JSON (${(error as Error).message}); fix or remove the line and run again`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new MalformedExportLineError(`${where}: expected a JSON object { messageId, body, attributes }`);
  const { messageId, body, attributes } = value as Record<string, unknown>;
  if (typeof messageId !== "string" || messageId.length === 0) throw new MalformedExportLineError(`${where}: messageId must be a non-empty string`);
  if (typeof body !== "string") throw new MalformedExportLineError(`${where}: body must be a string (message ${messageId})`);
  if (attributes !== undefined && (typeof attributes !== "object" || attributes === null || Array.isArray(attributes))) {
    throw new MalformedExportLineError(`${where}: attributes must be an object of strings (message ${messageId})`);
  }
  return { messageId, body, attributes: (attributes ?? {}) as Record<string, string> };
}
