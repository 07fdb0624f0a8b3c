// Tests import workspace packages from source, so a test run never depends on a stale build.
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export const workspaceAliases = {
  "@cairn/sdk": `${root}packages/sdk/src/index.ts`,
  "@cairn/testing": `${root}packages/testing/src/index.ts`,
  "@cairn/cli": `${root}packages/cli/src/index.ts`,
};
