import { describe, expect, it } from "vitest";
import { selfFunctionName } from "./self-function.js";

describe("selfFunctionName", () => {
  it("is the qualified ARN on Lambda, so children run the parent's version", () => {
    const arn = "arn:aws:lambda:eu-west-1:123456789012:function:backfill:live";
    expect(selfFunctionName({ functionName: "backfill", invokedFunctionArn: arn })).toBe(arn);
    const version = "arn:aws-cn:lambda:cn-north-1:123456789012:function:backfill:7";
    expect(selfFunctionName({ functionName: "backfill", invokedFunctionArn: version })).toBe(version);
  });

  it("is the function's name when the ARN carries no qualifier, or there is none (local runner, CLI, workers)", () => {
    expect(selfFunctionName({ functionName: "backfill", invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:backfill" })).toBe("backfill");
    expect(selfFunctionName({ functionName: "cairn-local" })).toBe("cairn-local");
    expect(selfFunctionName({})).toBeUndefined();
  });
});
