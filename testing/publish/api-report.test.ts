import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runNode } from "./run-node.js";

// The committed API reports (packages/*/api/*.api.md) match the built declarations of every
// entry point: a change to the public surface fails here until `npm run api:update` rewrites the
// reports and they are committed with it. `npm test` builds every package before this runs.

const root = fileURLToPath(new URL("../..", import.meta.url));

it("every entry point's committed API report matches its built declarations", async () => {
  const result = await runNode(["scripts/api-report.mjs"], root);
  expect(result.exit, `node scripts/api-report.mjs exited with ${result.exit}:\n${result.stdout}${result.stderr}`).toBe(0);
});
