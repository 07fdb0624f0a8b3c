import { describeStoreBehaviour } from "./test-support/store-suite.js";
import { MemoryExecutionStore } from "./memory-store.js";

describeStoreBehaviour("MemoryExecutionStore", async () => {
  const store = new MemoryExecutionStore();
  return { store, reopen: () => store, cleanup: async () => {} };
});
