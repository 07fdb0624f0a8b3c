import { ValidationError } from "../../errors/validation-error.js";
import { BatchItemStatus, type BatchItem, type SqsBatchResponse } from "../../types/batch.js";

/**
 * Lists for redelivery every record whose item did not succeed. Record i is item i; an item absent
 * from `items` never started (the batch completed first) and is listed too, so no message is lost.
 */
export function sqsBatchResponse(
  items: ReadonlyArray<BatchItem<unknown>>,
  inputCount: number,
  records: ReadonlyArray<{ messageId: string }>,
): SqsBatchResponse {
  if (!Array.isArray(records)) {
    throw new ValidationError("toSqsBatchResponse: pass the SQS records the batch ran over (event.Records).");
  }
  if (records.length !== inputCount) {
    throw new ValidationError(
      `toSqsBatchResponse: the batch ran over ${inputCount} items but ${records.length} records were passed; ` +
        "pass the same records, in the same order, that the map ran over.",
    );
  }
  const succeeded = new Uint8Array(inputCount);
  for (const item of items) if (item.status === BatchItemStatus.SUCCEEDED) succeeded[item.index] = 1;
  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  records.forEach((record, index) => {
    if (succeeded[index] === 1) return;
    const messageId = (record as { messageId?: unknown } | null)?.messageId;
    if (typeof messageId !== "string" || messageId.length === 0) {
      throw new ValidationError(`toSqsBatchResponse: record ${index} has no messageId; pass SQS records as Lambda delivers them.`);
    }
    batchItemFailures.push({ itemIdentifier: messageId });
  });
  return { batchItemFailures };
}
