// The OTLP/HTTP setup of docs/opentelemetry.md, loaded as written, exporting with the real
// exporter to a local HTTP server that plays the collector.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { LocalDurableTestRunner } from "@cairn/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { docsExample } from "./test-support/docs-examples.js";

interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

const received: Received[] = [];
const server = createServer((request: IncomingMessage, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    received.push({ path: request.url ?? "", contentType: request.headers["content-type"] ?? "", body: Buffer.concat(chunks) });
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // What the example's OTLPTraceExporter reads, as it would in a deployed function.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Span names in an OTLP JSON export request (resourceSpans → scopeSpans → spans). */
function spanNames(request: Received): string[] {
  const body = JSON.parse(request.body.toString("utf8")) as {
    resourceSpans: { scopeSpans: { spans: { name: string; traceId: string }[] }[] }[];
  };
  return body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.name)));
}

it("the OTLP example exports every span to the collector before the invocation returns", async () => {
  const example = (await import(/* @vite-ignore */ docsExample("otel-otlp.ts"))) as {
    handler: ConstructorParameters<typeof LocalDurableTestRunner>[0]["handlerFunction"];
    provider: { shutdown(): Promise<void> };
  };
  const result = await new LocalDurableTestRunner({ handlerFunction: example.handler, skipTime: true }).run({ payload: { orderId: "ord-9" } });
  expect(result.getResult()).toBe("ord-9: kettle, mug");
  // The plugin's forceFlush ran before the run's only invocation returned: everything has arrived.
  expect(received.length).toBeGreaterThan(0);
  expect(received.every((r) => r.path === "/v1/traces")).toBe(true);
  expect(received.every((r) => r.contentType.startsWith("application/json"))).toBe(true);
  const names = received.flatMap(spanNames);
  expect(names.sort()).toEqual(["attempt 1", "attempt 1", "invocation", "map lines", "map_iteration map-item-0", "map_iteration map-item-1", "step reserve", "step reserve"].sort());
  await example.provider.shutdown();
});
