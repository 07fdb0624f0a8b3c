import { describe, expect, it } from "vitest";
import type { OperationUpdate } from "@cairn/sdk";
import { chunkUpdates } from "./checkpoint-chunks.js";
import { classifyLambdaError } from "./error-classification.js";
import { decodeName, encodeName } from "./wire-names.js";

const update = (id: number, payloadBytes = 0): OperationUpdate => ({
  Id: String(id),
  Type: "STEP",
  SubType: "Step",
  Action: "SUCCEED",
  ...(payloadBytes > 0 ? { Payload: "x".repeat(payloadBytes) } : {}),
});

describe("checkpoint calls within the service's bounds", () => {
  it("splits at 250 updates, keeping order", () => {
    const chunks = chunkUpdates(Array.from({ length: 600 }, (_, i) => update(i + 1)));
    expect(chunks.map((c) => c.length)).toEqual([250, 250, 100]);
    expect(chunks.flat().map((u) => u.Id)).toEqual(Array.from({ length: 600 }, (_, i) => String(i + 1)));
  });

  it("splits at 750 KB of JSON as sent, counting escapes", () => {
    // Quotes double in JSON: four 200 KB payloads of quotes are ~1.6 MB on the wire.
    const quoted = Array.from({ length: 4 }, (_, i) => ({ ...update(i + 1), Payload: '"'.repeat(200 * 1024) }));
    const chunks = chunkUpdates(quoted);
    for (const chunk of chunks) expect(Buffer.byteLength(JSON.stringify(chunk))).toBeLessThanOrEqual(750 * 1024 + chunk.length);
    expect(chunks.length).toBe(4);
  });

  it("sends an oversized single update alone", () => {
    expect(chunkUpdates([update(1, 10), update(2, 2 * 1024 * 1024), update(3, 10)]).map((c) => c.length)).toEqual([1, 1, 1]);
  });
});

describe("names as printable ASCII", () => {
  it.each(["plain-name", "café", "100%", "emoji 🚚", "tab\there", "%41"])("round-trips %j", (name) => {
    const wire = encodeName(name);
    expect(wire).toMatch(/^[\x20-\x7e]*$/);
    expect(decodeName(wire)).toBe(name);
  });
  it("leaves ASCII names without % unchanged", () => {
    expect(encodeName("charge-card #2")).toBe("charge-card #2");
  });
});

describe("error classification", () => {
  const aws = (name: string, status: number | undefined, message = "x") =>
    Object.assign(new Error(message), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });
  it.each([
    [aws("InvalidParameterValueException", 400, "Invalid Checkpoint Token: stale"), "stale-token"],
    [aws("InvalidParameterValueException", 400, "invalid checkpoint token"), "stale-token"],
    [aws("TooManyRequestsException", 429), "transient"],
    [aws("ServiceException", 500), "transient"],
    [aws("ServiceException", 503), "transient"],
    [aws("TimeoutError", undefined), "transient"],
    [aws("KMSAccessDeniedException", 502), "permanent"],
    [aws("ResourceNotFoundException", 404), "permanent"],
    [aws("InvalidParameterValueException", 400, "Updates: too many"), "permanent"],
    [aws("AccessDeniedException", 403), "permanent"],
  ] as const)("%s -> %s", (error, kind) => {
    expect(classifyLambdaError(error)).toBe(kind);
  });
});
