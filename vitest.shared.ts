// Tests import workspace packages from source, so a test run never depends on a stale build.
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export const workspaceAliases = {
  "@cairn/sdk": `${root}packages/sdk/src/index.ts`,
  "@cairn/testing": `${root}packages/testing/src/index.ts`,
  "@cairn/cli": `${root}packages/cli/src/index.ts`,
  // Without these a test would load the built package, whose CommonJS build requires the built
  // @cairn/sdk: a second copy beside the aliased source.
  "@cairn/dynamodb": `${root}packages/dynamodb/src/index.ts`,
  "@cairn/aws-lambda": `${root}packages/aws-lambda/src/index.ts`,
};
