// One adapter per SDK, so the workloads are written once. Each SDK is imported only in the child
// process that benchmarks it: neither its module graph nor its global patches (AWS fake timers)
// can touch the other's figures.

/**
 * @typedef {object} SdkAdapter
 * @property {"cairn"|"aws"|"aws-realtime"} name
 * @property {(fn: Function) => Function} withDurableExecution
 * @property {boolean} skipsTime                   waits complete at once (virtual/fake clock)
 * @property {(n: number) => object} minSuccessful  completionConfig that completes after n successes
 * @property {() => Promise<void>} setup            once per process, before any run
 * @property {() => Promise<void>} teardown         once per process, after the last run
 * @property {(handler: Function) => { run: (req: { payload: unknown }) => Promise<any> }} createRunner
 */

/** @returns {Promise<SdkAdapter>} */
export async function loadSdk(name) {
  if (name === "cairn") return loadCairn();
  if (name === "aws") return loadAws(name, true);
  if (name === "aws-realtime") return loadAws(name, false);
  throw new Error(`unknown sdk "${name}" (expected cairn, aws or aws-realtime)`);
}

async function loadCairn() {
  const sdk = await import("@cairn/sdk");
  const testing = await import("@cairn/testing");
  const { LocalDurableTestRunner } = testing;
  return {
    name: "cairn",
    skipsTime: true,
    withDurableExecution: sdk.withDurableExecution,
    minSuccessful: (n) => sdk.minSuccessful(n),
    setup: () => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }),
    teardown: () => LocalDurableTestRunner.teardownTestEnvironment(),
    createRunner: (handler) => new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }),
  };
}

/**
 * `aws` is the AWS runner with `skipTime: true`, as its docs recommend for tests. That installs
 * @sinonjs/fake-timers with `shouldAdvanceTime`, so a pending timer fires only when the fake
 * clock is advanced — every 20 ms of real time — which puts a floor under anything the SDK or
 * the runner schedules with setTimeout. `aws-realtime` (`skipTime: false`, real timers) shows
 * the same SDK without that floor; its waits are really slept, so the workloads wait 1 s there.
 */
async function loadAws(name, skipTime) {
  const sdk = await import("@aws/durable-execution-sdk-js");
  const testing = await import("@aws/durable-execution-sdk-js-testing");
  const { LocalDurableTestRunner } = testing;
  return {
    name,
    skipsTime: skipTime,
    withDurableExecution: sdk.withDurableExecution,
    // The AWS SDK has no helper; the config field is the same.
    minSuccessful: (n) => ({ minSuccessful: n }),
    // Starts the checkpoint server (a worker thread) and, with skipTime, installs fake timers.
    setup: () => LocalDurableTestRunner.setupTestEnvironment({ skipTime }),
    teardown: () => LocalDurableTestRunner.teardownTestEnvironment(),
    createRunner: (handler) => new LocalDurableTestRunner({ handlerFunction: handler }),
  };
}
