/** Largest payload stored inline on one operation (the Lambda service's per-operation limit). */
export const MAX_OPERATION_PAYLOAD_BYTES = 256 * 1024;
/** Updates sent in one checkpoint call at most. */
export const MAX_UPDATES_PER_CHECKPOINT = 250;
/** Approximate bytes sent in one checkpoint call at most. */
export const MAX_BYTES_PER_CHECKPOINT = 750 * 1024;
/** Largest handler result returned inline in the invocation output. */
export const MAX_EXECUTION_RESULT_BYTES = 6 * 1024 * 1024 - 64 * 1024;
