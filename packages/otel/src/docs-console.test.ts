// The console setup of docs/opentelemetry.md, loaded as written (its own file: it registers a
// global tracer provider, once per process).
import { LocalDurableTestRunner } from "@cairn/testing";
import { afterAll, expect, it, vi } from "vitest";
import { docsExample } from "./test-support/docs-examples.js";

it("the console example prints every span of both invocations, in one trace", async () => {
  const printed: { name?: unknown; traceId?: unknown }[] = [];
  // ConsoleSpanExporter writes each span as an object with console.dir; keep them to check.
  const dir = vi.spyOn(console, "dir").mockImplementation((item: unknown) => void printed.push(item as { name?: unknown }));
  afterAll(() => dir.mockRestore());
  const example = (await import(/* @vite-ignore */ docsExample("otel-console.ts"))) as {
    handler: ConstructorParameters<typeof LocalDurableTestRunner>[0]["handlerFunction"];
  };
  const result = await new LocalDurableTestRunner({ handlerFunction: example.handler, skipTime: true }).run({ payload: { orderId: "ord-7" } });
  expect(result.getResult()).toBe("ord-7: charged 42");
  const names = printed.map((span) => span.name);
  expect(names).toEqual(["attempt 1", "step price", "invocation", "wait cool-off", "attempt 1", "step charge", "invocation"]);
  const traceIds = new Set(printed.map((span) => span.traceId));
  expect(traceIds.size).toBe(1);
  expect(String([...traceIds][0])).toMatch(/^[0-9a-f]{32}$/);
});
