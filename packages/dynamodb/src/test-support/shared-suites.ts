// Suites that live in other workspaces, loaded at test time. They are imported by a computed path
// so this package's typecheck (rootDir src) does not pull their sources in; the types below are
// the part of their API used here.
import type { ExecutionStore } from "@cairn/sdk/service";

export interface StoreHarness {
  store: ExecutionStore;
  reopen(): ExecutionStore;
  cleanup(): Promise<void>;
}

interface StoreSuiteModule {
  describeStoreBehaviour(storeName: string, makeHarness: () => Promise<StoreHarness>): void;
}

const STORE_SUITE = "../../../sdk/src/service/test-support/store-suite.ts";

export async function loadStoreSuite(): Promise<StoreSuiteModule> {
  return (await import(/* @vite-ignore */ new URL(STORE_SUITE, import.meta.url).href)) as StoreSuiteModule;
}
