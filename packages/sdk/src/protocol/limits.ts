/** Largest payload stored inline on one operation (the Lambda service's per-operation limit). */
export const MAX_OPERATION_PAYLOAD_BYTES = 256 * 1024;
/** Updates sent in one checkpoint call at most. */
export const MAX_UPDATES_PER_CHECKPOINT = 250;
/** Approximate bytes sent in one checkpoint call at most. */
export const MAX_BYTES_PER_CHECKPOINT = 750 * 1024;
/** Largest handler result returned inline in the invocation output. */
export const MAX_EXECUTION_RESULT_BYTES = 6 * 1024 * 1024 - 64 * 1024;

/** The payload's size in UTF-8 bytes when it is over the per-operation limit; undefined when it fits. */
export function oversizedPayloadBytes(payload: string | undefined): number | undefined {
  // Cheap upper bound first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (payload === undefined || payload.length * 3 <= MAX_OPERATION_PAYLOAD_BYTES) return undefined;
  const bytes = Buffer.byteLength(payload, "utf8");
  return bytes > MAX_OPERATION_PAYLOAD_BYTES ? bytes : undefined;
}
