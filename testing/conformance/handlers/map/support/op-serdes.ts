import { BatchItemStatus, createBatchResult, type BatchItem, type BatchResult, type Serdes } from "@cairn/sdk";

const PREFIX = "OPSERDE:";

// A BatchResult rebuilt from "OPSERDE:X,Y": every item succeeded, in order.
function decodedBatch(results: string[]): BatchResult<string> {
  const items: BatchItem<string>[] = results.map((result, index) => ({ result, index, status: BatchItemStatus.SUCCEEDED }));
  return createBatchResult(items, "ALL_COMPLETED");
}

/**
 * An operation-level (whole map result) serdes for vectors 9-19 and 9-20: writes "OPSERDE:"
 * followed by the comma-joined results and reads that encoding back into a BatchResult.
 */
export const opSerdes: Serdes<BatchResult<string>> = {
  serialize: async (batch) => (batch === undefined ? undefined : PREFIX + batch.getResults().join(",")),
  deserialize: async (data) => {
    if (data === undefined) return undefined;
    if (!data.startsWith(PREFIX)) throw new Error(`not an OPSERDE payload: ${data.slice(0, 40)}`);
    const body = data.slice(PREFIX.length);
    return decodedBatch(body === "" ? [] : body.split(","));
  },
};
