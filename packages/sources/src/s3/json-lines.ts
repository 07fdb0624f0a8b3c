import { LF, RecordSyntaxError, type RecordSplitter } from "./record-splitter.js";

/** Splits JSON lines: one JSON value per line (LF or CRLF); blank lines are skipped; the last line may lack its LF. */
export const splitJsonLine: RecordSplitter<unknown> = (bytes, start, eof) => {
  const newline = bytes.indexOf(LF, start);
  if (newline < 0 && !eof) return undefined;
  const end = newline < 0 ? bytes.length : newline + 1;
  const text = bytes.toString("utf8", start, newline < 0 ? bytes.length : newline).trim();
  if (text.length === 0) return { end, value: undefined };
  try {
    return { end, value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new RecordSyntaxError(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
};
