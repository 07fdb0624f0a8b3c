// How the test run chooses a DynamoDB Local: Docker detection, the Java check and the message for
// a machine with neither.
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, inject, it } from "vitest";
import { dockerAddress, dockerReachable, javaProblemOf, noDynamoDbLocalMessage } from "./test-support/dynamodb-local.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A loopback server answering every request with `status`, standing in for a Docker engine. */
async function listen(status: string): Promise<number> {
  server = createServer((socket) => socket.once("data", () => socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 2\r\n\r\nOK`)));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

describe("choosing DynamoDB Local", () => {
  it("reads DOCKER_HOST (unix socket or tcp); an unsupported scheme means no engine", () => {
    expect(dockerAddress({ DOCKER_HOST: "unix:///run/user/1000/docker.sock" })).toEqual({ path: "/run/user/1000/docker.sock" });
    expect(dockerAddress({ DOCKER_HOST: "tcp://10.0.0.5:2375" })).toEqual({ host: "10.0.0.5", port: 2375 });
    expect(dockerAddress({ DOCKER_HOST: "ssh://me@host" })).toBeUndefined();
  });

  it("counts an engine as reachable only when it answers the ping with 200", async () => {
    const healthy = await listen("200 OK");
    expect(await dockerReachable({ DOCKER_HOST: `tcp://127.0.0.1:${healthy}` })).toBe(true);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    // Nobody listens there any more: refused.
    expect(await dockerReachable({ DOCKER_HOST: `tcp://127.0.0.1:${healthy}` })).toBe(false);
    const failing = await listen("500 Internal Server Error");
    expect(await dockerReachable({ DOCKER_HOST: `tcp://127.0.0.1:${failing}` })).toBe(false);
  });

  it("chose the jar on this machine when no Docker engine answers", async () => {
    const via = inject("dynamoDbVia");
    if (via === "endpoint") return; // CAIRN_DYNAMODB_ENDPOINT given: nothing was chosen
    expect(via).toBe((await dockerReachable()) ? "testcontainers" : "jar");
  });

  it("says what is wrong with Java, and accepts 17 or later", () => {
    const missing = Object.assign(new Error("spawnSync java ENOENT"), { code: "ENOENT" });
    expect(javaProblemOf({ error: missing, status: null, stderr: "" })).toBe("`java` is not on the PATH");
    expect(javaProblemOf({ status: 1, stderr: "" })).toBe("`java -version` exited with code 1");
    expect(javaProblemOf({ status: 0, stderr: 'openjdk version "11.0.2" 2019-01-15' })).toBe("the `java` on the PATH is version 11");
    expect(javaProblemOf({ status: 0, stderr: 'java version "1.8.0_202"' })).toBe("the `java` on the PATH is version 8");
    expect(javaProblemOf({ status: 0, stderr: 'openjdk version "17.0.15" 2025-04-15' })).toBeUndefined();
    expect(javaProblemOf({ status: 0, stderr: 'openjdk version "21" 2023-09-19' })).toBeUndefined();
  });

  it("tells a machine with neither Docker nor Java every way out", () => {
    const message = noDynamoDbLocalMessage("`java` is not on the PATH");
    expect(message).toContain("no Docker engine is reachable");
    expect(message).toContain("amazon/dynamodb-local");
    expect(message).toContain("Java 17 or later is needed to run the bundled jar, but `java` is not on the PATH.");
    expect(message).toMatch(/apt-get install openjdk-17-jre-headless/);
    expect(message).toMatch(/CAIRN_DYNAMODB_ENDPOINT/);
  });
});
