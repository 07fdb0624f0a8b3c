// The pure checks in front of the API: which Host headers count as loopback, and how a callback
// body becomes the answer the service takes.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { BadRequestError, parseCallbackBody } from "./callback-body.js";
import { isLoopbackHost, refusal } from "./request-guard.js";

const request = (method: string, headers: Record<string, string>): IncomingMessage => ({ method, headers }) as unknown as IncomingMessage;

describe("isLoopbackHost", () => {
  it.each(["127.0.0.1:4300", "localhost:4300", "LOCALHOST", "[::1]:4300", "127.0.0.1"])("accepts %s", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(["attacker.example", "127.0.0.1.attacker.example:4300", "localhost.attacker.example", "10.0.0.5:4300", "[::2]:80", ""])("refuses %j", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
  it("refuses a missing Host", () => expect(isLoopbackHost(undefined)).toBe(false));
});

describe("refusal", () => {
  const host = "127.0.0.1:4300";
  it("lets same-origin and origin-less POSTs through, and any GET from a loopback Host", () => {
    expect(refusal(request("POST", { host, origin: "http://127.0.0.1:4300", "sec-fetch-site": "same-origin" }))).toBeUndefined();
    expect(refusal(request("POST", { host }))).toBeUndefined();
    expect(refusal(request("GET", { host, origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" }))).toBeUndefined();
  });
  it("refuses a POST from another origin, another port on the same machine, or another site", () => {
    expect(refusal(request("POST", { host, origin: "https://elsewhere.example" }))).toMatch(/Cross-origin/);
    expect(refusal(request("POST", { host, origin: "http://127.0.0.1:9999" }))).toMatch(/Cross-origin/);
    expect(refusal(request("POST", { host, "sec-fetch-site": "same-site" }))).toMatch(/Cross-site/);
  });
});

describe("parseCallbackBody", () => {
  it("stores a succeed payload as its JSON text, and none when there is none", () => {
    expect(parseCallbackBody("succeed", '{"payload":{"approved":true}}')).toEqual({ action: "succeed", payload: '{"approved":true}' });
    expect(parseCallbackBody("succeed", '{"payload":"yes"}')).toEqual({ action: "succeed", payload: '"yes"' });
    expect(parseCallbackBody("succeed", "")).toEqual({ action: "succeed", payload: undefined });
  });
  it("takes a fail error with the error fields only", () => {
    expect(parseCallbackBody("fail", '{"error":{"ErrorType":"Rejected","ErrorMessage":"over budget"}}')).toEqual({
      action: "fail",
      error: { ErrorType: "Rejected", ErrorMessage: "over budget" },
    });
    expect(() => parseCallbackBody("fail", '{"error":{"Reason":"x"}}')).toThrow(/unknown field "Reason"/);
    expect(() => parseCallbackBody("fail", '{"error":"x"}')).toThrow(BadRequestError);
  });
  it("refuses fields an action does not take, and bodies that are not objects", () => {
    expect(() => parseCallbackBody("heartbeat", '{"payload":1}')).toThrow(/"heartbeat" takes no fields/);
    expect(() => parseCallbackBody("succeed", "[1]")).toThrow(/must be a JSON object/);
    expect(() => parseCallbackBody("succeed", "{")).toThrow(/not valid JSON/);
  });
});
