/**
 * Finds the record that starts at byte `start` of `bytes`: where it ends (past its line break) and
 * its parsed value, `undefined` as the value for a blank line. Returns `undefined` when the bytes
 * end inside the record and more of the object follows (`eof` false): the caller reads a larger
 * window. Throws {@link RecordSyntaxError} for a record that cannot be parsed.
 */
export type RecordSplitter<R> = (bytes: Buffer, start: number, eof: boolean) => { end: number; value: R | undefined } | undefined;

/** A record that cannot be parsed; the reader adds the object's key and the byte offset. */
export class RecordSyntaxError extends Error {
  override name = "RecordSyntaxError";
}

/** Line feed and carriage return: ASCII, so never part of a multi-byte UTF-8 character. */
export const LF = 0x0a;
export const CR = 0x0d;
