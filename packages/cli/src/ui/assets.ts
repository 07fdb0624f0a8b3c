// The page's files, built by scripts/build-ui.mjs into dist/ui/. Read once and kept: they are
// small, and the server should not touch the disk per request.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The built page: its HTML shell, script and style sheet. */
export interface UiAssets {
  /** index.html: the shell that loads app.css and app.js. */
  html: string;
  /** app.js: the page's bundled script. */
  script: string;
  /** app.css: its style sheet. */
  style: string;
}

let cached: UiAssets | undefined;

/**
 * The built assets. They sit next to this module once built (dist/ui/); run from the sources
 * (tests), the package's dist/ui/ is used. Throws, naming the build step, when they are missing.
 */
export function uiAssets(): UiAssets {
  if (cached) return cached;
  const candidates = [new URL("./", import.meta.url), new URL("../../dist/ui/", import.meta.url)];
  const dir = candidates.find((url) => existsSync(fileURLToPath(new URL("app.js", url))));
  if (dir === undefined) {
    throw new Error(`The web view's assets (dist/ui/app.js) are missing: run "npm run build" in packages/cli.`);
  }
  const read = (name: string): string => readFileSync(fileURLToPath(new URL(name, dir)), "utf8");
  cached = { html: read("index.html"), script: read("app.js"), style: read("app.css") };
  return cached;
}
