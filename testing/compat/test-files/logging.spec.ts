import { ExecutionStatus, LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { logs } from "./misc";

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

type Line = Record<string, unknown>;

/** Runs the handler while capturing what reaches the process's stdout and stderr. */
async function runCapturing(payload: unknown) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => stdout.push(chunk.toString()) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => stderr.push(chunk.toString()) > 0) as typeof process.stderr.write;
  try {
    const runner = new LocalDurableTestRunner({ handlerFunction: logs });
    const result = await runner.run({ payload });
    return { result, stdout: parse(stdout), stderr: parse(stderr) };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

function parse(chunks: string[]): Line[] {
  return chunks
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Line);
}

describe("logging", () => {
  it("writes structured lines, info to stdout and warnings and errors to stderr, once each despite replays", async () => {
    const { result, stdout, stderr } = await runCapturing({ orderId: "o-9" });

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getInvocations().length).toBeGreaterThan(1);
    expect(stdout).toEqual([
      {
        requestId: expect.any(String),
        timestamp: expect.any(String),
        level: "INFO",
        executionArn: expect.any(String),
        message: "order received { orderId: 'o-9' }",
      },
    ]);
    expect(stderr).toEqual([
      {
        requestId: expect.any(String),
        timestamp: expect.any(String),
        level: "WARN",
        executionArn: expect.any(String),
        operationId: expect.any(String),
        operationName: "charge",
        attempt: 1,
        message: "charging { attempt: 1 }",
      },
      expect.objectContaining({
        level: "ERROR",
        errorType: "Error",
        errorMessage: "card expires soon",
        stackTrace: expect.any(Array),
      }),
    ]);
    expect(stderr[1]?.message).toMatch(/^charged Error: card expires soon/);
  });

  it("honours AWS_LAMBDA_LOG_LEVEL", async () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = "WARN";
    try {
      const { stdout, stderr } = await runCapturing({ orderId: "o-10" });
      expect(stdout).toEqual([]);
      expect(stderr.map((line) => line.level)).toEqual(["WARN", "ERROR"]);
    } finally {
      delete process.env.AWS_LAMBDA_LOG_LEVEL;
    }
  });
});
