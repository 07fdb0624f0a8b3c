// The conformance vectors of the step, wait, child, parallel, map and callback categories, run
// with every checkpoint and state read of the handler going through the real @aws-sdk/client-lambda
// and the local HTTP endpoint of the Lambda API. The conformance library is reused unchanged: each
// handler is wrapped so that its invocation's backend is a LambdaCheckpointBackend whose requests
// the endpoint hands to the backend the local runner gave that invocation (fault injection included).
//
// Like testing/conformance, each vector runs in skipped time and in real time (CONFORMANCE_MODES
// picks one or both; default both), real-time vectors side by side, and a real-time run must give
// the same event sequence as the skipped-time one.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CheckpointService, MemoryExecutionStore } from "@cairn/sdk/service";
import { attachInvocationEnvironment, invocationEnvironmentOf } from "@cairn/sdk/backend";
import { type CheckpointBackend, type DurableLambdaHandler } from "@cairn/sdk";
import { runRequirement } from "../../../testing/conformance/lib/run-requirement.js";
import {
  ConformanceRun,
  loadHandler,
  selectedRequirementFiles,
  timeModesFromEnv,
  TIMEOUT_MS,
} from "../../../testing/conformance/lib/suite-plan.js";
import { LambdaCheckpointBackend } from "./lambda-checkpoint-backend.js";
import { startLocalLambdaEndpoint, type LocalLambdaEndpoint } from "./local-endpoint.js";
import { loopbackClient } from "./test-support/lambda-harness.js";
import { decodeInvocationInput } from "./with-durable-execution.js";

const CATEGORIES = ["step", "wait", "child", "parallel", "map", "callback", "wait_for_callback"];
const files = selectedRequirementFiles(CATEGORIES);
const MODES = timeModesFromEnv();
const run = new ConformanceRun();

/** The backend each running invocation was given by the local runner, by execution ARN. */
const invocationBackends = new Map<string, CheckpointBackend>();
let endpoint: LocalLambdaEndpoint;
let lambdaBackend: LambdaCheckpointBackend;

beforeAll(async () => {
  endpoint = await startLocalLambdaEndpoint({
    // Every request names an execution whose invocation registered its backend; this service is
    // only a fallback that knows no execution (an unknown ARN gets the API's 404).
    service: new CheckpointService({ store: new MemoryExecutionStore() }),
    checkpointBackendFor: (arn) => invocationBackends.get(arn),
  });
  lambdaBackend = new LambdaCheckpointBackend({ client: loopbackClient(endpoint), retry: { maxAttempts: 2, initialDelayMs: 1 } });
});
afterAll(async () => {
  lambdaBackend.client.destroy();
  await endpoint.close();
});

function overHttp(handler: DurableLambdaHandler): DurableLambdaHandler {
  return (input, context) => {
    const environment = invocationEnvironmentOf(input);
    if (!environment) throw new Error("expected the local runner's invocation environment");
    invocationBackends.set(input.DurableExecutionArn, environment.backend);
    return handler(attachInvocationEnvironment(decodeInvocationInput({ ...input }), { ...environment, backend: lambdaBackend }), context);
  };
}

describe("conformance through @aws-sdk/client-lambda over HTTP", () => {
  test("covers the categories", () => {
    if (process.env.CONFORMANCE_ONLY) return;
    expect(files.length).toBeGreaterThan(50);
  });
  for (const mode of MODES) {
    // Real-time vectors mostly sleep, so they run side by side; each has its own runner and ARN.
    const suite = mode === "real-time" ? describe.concurrent : describe;
    suite(mode, () => {
      for (const file of files) {
        test(
          `${file.key} [${mode}]`,
          async () => {
            const mod = await loadHandler(file);
            const outcome = await runRequirement(run.requirementOf(file), { ...mod, handler: overHttp(mod.handler) }, mode);
            run.check(file, mode, outcome);
          },
          TIMEOUT_MS[mode],
        );
      }
    });
  }
  test("every run went through the HTTP endpoint", () => {
    // At least one checkpoint call per vector (a few write nothing: they fail validation first).
    expect(endpoint.requests.get("CheckpointDurableExecution") ?? 0).toBeGreaterThan(files.length);
  });
});
