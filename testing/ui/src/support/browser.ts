// Headless Chromium (Debian's chromium package, or CHROMIUM_PATH) driven by playwright-core.
// A browser that cannot start is an error with what to do about it: these tests never skip.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where the browser is: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const LAUNCH_TIMEOUT_MS = 60_000;

/** Launches headless Chromium, or throws naming the path and how to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it ("apt-get install chromium" on Debian; .ci/run does this) or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  }
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      timeout: LAUNCH_TIMEOUT_MS,
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  } catch (error) {
    throw new Error(`Could not start Chromium (${CHROMIUM_PATH}) within ${LAUNCH_TIMEOUT_MS / 1000}s: ${(error as Error).message}`);
  }
}

/**
 * A value made on first use and shared by the tests of a file (the browser, a server). Made in a
 * test rather than in beforeAll, so that when it cannot be made every test fails with the reason,
 * counted as a failure, instead of being reported as skipped.
 */
export interface Shared<T> {
  /** The value, made now if it has not been. */
  get(): Promise<T>;
  /** Disposes of the value if it was made. */
  dispose(): Promise<void>;
}

/** Makes a {@link Shared} value from `make`, disposed of by `dispose`. */
export function shared<T>(make: () => Promise<T>, dispose: (value: T) => Promise<void>): Shared<T> {
  let made: Promise<T> | undefined;
  return {
    get: () => (made ??= make()),
    async dispose() {
      const value = await made?.catch(() => undefined);
      if (value !== undefined) await dispose(value);
    },
  };
}

/** Headless Chromium, launched by the first test of a file that needs it. */
export function sharedBrowser(): Shared<Browser> {
  return shared(launchBrowser, (browser) => browser.close());
}
