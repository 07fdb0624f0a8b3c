// The behavioural suite every ExecutionStore passes (memory, file), on DynamoDB Local.
import { DynamoDbCheckpointStore } from "./dynamodb-store.js";
import { loadStoreSuite } from "./test-support/shared-suites.js";
import { createTestTable } from "./test-support/tables.js";

const { describeStoreBehaviour } = await loadStoreSuite();

describeStoreBehaviour("DynamoDbCheckpointStore", async () => {
  const table = await createTestTable();
  return {
    store: new DynamoDbCheckpointStore(table),
    reopen: () => new DynamoDbCheckpointStore(table),
    cleanup: () => table.drop(),
  };
});
