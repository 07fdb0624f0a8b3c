// Restate beside Cairn: the restate-server binary from @restatedev/restate-server (its own durable
// log and state in a temporary directory, default configuration otherwise), started on loopback
// with free ports, and the handlers of restate-service.mjs in a Node process of their own, registered
// as a deployment. Executions are invoked through the ingress HTTP API, one request per execution,
// which answers with the handler's result.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "../clock.mjs";
import { startProcess, waitUntilReady } from "./child-process.mjs";
import { freePort } from "./ports.mjs";

/** The bound: a server that takes longer to start is reported as a failure. */
const SERVER_START_TIMEOUT_MS = 30_000;
const SERVICE_START_TIMEOUT_MS = 30_000;
const servicePath = fileURLToPath(new URL("./restate-service.mjs", import.meta.url));

function serverBinary() {
  const require = createRequire(import.meta.url);
  const platformPackage = `@restatedev/restate-server-${process.platform}-${process.arch}`;
  try {
    return require.resolve(`${platformPackage}/bin/restate-server`);
  } catch {
    throw new Error(
      `No restate-server binary for ${process.platform}-${process.arch}: ${platformPackage} is not installed ` +
        "(an optional dependency of @restatedev/restate-server, a devDependency of testing/bench).",
    );
  }
}

const ok = async (url) => (await fetch(url)).ok;

/**
 * @param {{ directory: string }} options  where the server's temporary data directory goes
 * @returns {import("./store-driver.mjs").StoreDriver}
 */
export function restateDriver(options) {
  let dataDir;
  let server;
  let service;
  let ingress;
  let version = "";
  return {
    name: "restate",
    describe: () => `Restate server ${version || "?"} (data in ${dataDir ?? "?"}), service endpoint in its own Node process, calls through the ingress HTTP API`,
    processes: () => [server, service].filter(Boolean).map((p) => ({ what: p.what, pid: p.pid })),
    async setup() {
      const binary = serverBinary();
      dataDir = mkdtempSync(join(options.directory, "cairn-bench-restate-"));
      // The server makes scratch directories (invoker-<id>) in the temporary directory and leaves
      // them behind when it stops: keep them in the data directory, which teardown removes.
      const scratch = join(dataDir, "tmp");
      mkdirSync(scratch);
      const [ingressPort, adminPort, nodePort] = [await freePort(), await freePort(), await freePort()];
      ingress = `http://127.0.0.1:${ingressPort}`;
      const admin = `http://127.0.0.1:${adminPort}`;
      server = startProcess("restate-server", binary, ["--no-logo", "--base-dir", dataDir, "--node-name", "bench", "--listen-mode", "tcp"], {
        env: {
          ...process.env,
          RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingressPort}`,
          RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${adminPort}`,
          RESTATE_BIND_ADDRESS: `127.0.0.1:${nodePort}`,
          RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${nodePort}/`,
          RESTATE_DISABLE_TELEMETRY: "true",
          RESTATE_LOG_FILTER: "warn",
          TMPDIR: scratch,
        },
      });
      await waitUntilReady(server, async () => (await ok(`${admin}/health`)) && (await ok(`${ingress}/restate/health`)), SERVER_START_TIMEOUT_MS, "restate-server (admin and ingress)");
      version = ((await (await fetch(`${admin}/version`)).json().catch(() => ({}))).version ?? "");

      let servicePort;
      service = startProcess("Restate service endpoint (node)", process.execPath, [servicePath]);
      service.child.stdout.on("data", (chunk) => {
        const match = /PORT (\d+)/.exec(chunk.toString());
        if (match) servicePort = Number(match[1]);
      });
      await waitUntilReady(service, async () => servicePort !== undefined, SERVICE_START_TIMEOUT_MS);
      const registered = await fetch(`${admin}/deployments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ uri: `http://127.0.0.1:${servicePort}` }),
      });
      if (!registered.ok) throw new Error(`registering the service endpoint failed: ${registered.status} ${await registered.text()}`);
      // The ingress learns about the new service a moment after the admin API accepts it.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const probe = await fetch(`${ingress}/bench/seq`, { method: "POST", headers: { "content-type": "application/json" }, body: "1" });
        if (probe.ok) break;
        if (Date.now() > deadline) throw new Error(`the ingress does not route to the service: ${probe.status} ${await probe.text()}`);
        await sleep(100);
      }
    },
    async runMany(handler, size, count) {
      const call = async () => {
        const response = await fetch(`${ingress}/bench/${handler}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(size),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`Restate ingress answered ${response.status}: ${text.slice(0, 300)}`);
        return JSON.parse(text);
      };
      return Promise.all(Array.from({ length: count }, call));
    },
    async teardown() {
      await service?.stop(5_000);
      await server?.stop(15_000);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
