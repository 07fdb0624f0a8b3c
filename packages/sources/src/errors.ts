/**
 * An object read under a byte-offset cursor is no longer the object the cursor was made in: its
 * ETag changed (it was overwritten) or it is shorter than the cursor's offset. Reading on would
 * split records at the wrong bytes, so the page fails instead; start a new run over the new data.
 */
export class SourceObjectChangedError extends Error {
  /** The error type recorded in checkpoints; survives replay where `instanceof` does not. */
  readonly errorType = "SourceObjectChangedError";
  /** The object's key. */
  readonly key: string;
  constructor(bucket: string, key: string, detail: string) {
    super(
      `s3://${bucket}/${key} changed while it was being read (${detail}); ` +
        "the cursor's byte offset no longer points into the same object, so it is not read on. " +
        "Start a new run to read the object as it is now.",
    );
    this.name = "SourceObjectChangedError";
    this.key = key;
  }
}

/** A record of a JSON-lines or CSV object that cannot be parsed (its key and byte offset say where). */
export class MalformedRecordError extends Error {
  /** The error type recorded in checkpoints; survives replay where `instanceof` does not. */
  readonly errorType = "MalformedRecordError";
  constructor(bucket: string, key: string, offset: number, detail: string) {
    super(`s3://${bucket}/${key}, record at byte ${offset}: ${detail}`);
    this.name = "MalformedRecordError";
  }
}
