// The AWS local runner's time skipping installs @sinonjs/fake-timers globally, which replaces
// `performance.now`, `Date` and `process.hrtime` with a fake clock that jumps forward. Bind the
// real functions when this module is first evaluated — before any runner is set up — so every
// figure the bench prints is wall-clock time whichever SDK is loaded.
const realPerformanceNow = performance.now.bind(performance);
const realSetTimeout = globalThis.setTimeout;

/** Real, monotonic milliseconds. */
export function now() {
  return realPerformanceNow();
}

/** A real-time sleep that fake timers cannot intercept. */
export function sleep(ms) {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
