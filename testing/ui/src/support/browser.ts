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
