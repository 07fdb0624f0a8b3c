#!/usr/bin/env node
// Builds the web view that `cairn ui` serves and `cairn inspect --html` inlines: the page's
// TypeScript (src/ui/web/, browser code with its own tsconfig) bundled by esbuild into one
// script, its style sheet, and the HTML shell, all in dist/ui/. Nothing is loaded from a CDN.
//
// Usage (from packages/cli, after tsc): node scripts/build-ui.mjs
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const pkgDir = process.cwd();
const webDir = join(pkgDir, "src", "ui", "web");
const outDir = join(pkgDir, "dist", "ui");
mkdirSync(outDir, { recursive: true });

await build({
  entryPoints: [join(webDir, "main.ts")],
  outfile: join(outDir, "app.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
await build({
  entryPoints: [join(webDir, "app.css")],
  outfile: join(outDir, "app.css"),
  bundle: true,
  minify: true,
  logLevel: "warning",
});
writeFileSync(join(outDir, "index.html"), readFileSync(join(webDir, "index.html"), "utf8"));
