// The conformance vectors of the step, wait, child, parallel, map and callback categories, run
// with every checkpoint and state read of the handler going through the real @aws-sdk/client-lambda
// and the local HTTP endpoint of the Lambda API. The conformance library is reused unchanged: each
// handler is wrapped so that its invocation's backend is a LambdaCheckpointBackend whose requests
// the endpoint hands to the backend the local runner gave that invocation (fault injection included).
//
// Like testing/conformance, each vector runs in skipped time and in real time (CONFORMANCE_MODES
// picks one or both; default both), real-time vectors side by side, and a real-time run must give
// the same event sequence as the skipped-time one.
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  CheckpointService,
  MemoryExecutionStore,
  attachInvocationEnvironment,
  invocationEnvironmentOf,
  type CheckpointBackend,
  type DurableLambdaHandler,
} from "@cairn/sdk";
import { CONCURRENT_ORDER } from "../../../testing/conformance/lib/concurrent-order.js";
import type { HandlerModule } from "../../../testing/conformance/lib/handler-module.js";
import { listRequirementFiles, loadRequirement, type Requirement, type RequirementFile } from "../../../testing/conformance/lib/loader.js";
import { compareSequences } from "../../../testing/conformance/lib/matcher.js";
import { runRequirement, type TimeMode } from "../../../testing/conformance/lib/run-requirement.js";
import { LambdaCheckpointBackend } from "./lambda-checkpoint-backend.js";
import { startLocalLambdaEndpoint, type LocalLambdaEndpoint } from "./local-endpoint.js";
import { loopbackClient } from "./test-support/lambda-harness.js";
import { decodeInvocationInput } from "./with-durable-execution.js";

const CATEGORIES = ["step", "wait", "child", "parallel", "map", "callback", "wait_for_callback"];
const files = listRequirementFiles(undefined, CATEGORIES);
const HANDLERS_DIR = new URL("../../../testing/conformance/handlers/", import.meta.url);

const MODES: TimeMode[] = (process.env.CONFORMANCE_MODES ?? "skipped-time,real-time")
  .split(",")
  .map((m) => m.trim())
  .filter((m): m is TimeMode => m === "skipped-time" || m === "real-time");
const TIMEOUT_MS: Record<TimeMode, number> = { "skipped-time": 30_000, "real-time": 90_000 };

// Variables are generated once per run, so both time modes see the same values.
const requirements = new Map<string, Requirement>();
function requirementOf(file: RequirementFile): Requirement {
  let req = requirements.get(file.key);
  if (!req) {
    req = loadRequirement(file.file, file.category);
    requirements.set(file.key, req);
  }
  return req;
}
/** Skipped-time event sequences, to check that real time produces the same one. */
const skippedSequences = new Map<string, string[]>();

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
            const url = new URL(`${file.category}/${file.id}.ts`, HANDLERS_DIR);
            const mod = (await import(pathToFileURL(decodeURIComponent(url.pathname)).href)) as HandlerModule;
            const outcome = await runRequirement(requirementOf(file), { ...mod, handler: overHttp(mod.handler) }, mode);
            const { failures, history, sequence, stoppedEarly } = outcome;
            if (mode === "skipped-time") skippedSequences.set(file.key, sequence);
            const skipped = skippedSequences.get(file.key);
            if (mode === "real-time" && skipped) {
              failures.push(...compareSequences(skipped, sequence, { realStoppedEarly: stoppedEarly, unordered: CONCURRENT_ORDER.has(file.key) }));
            }
            if (failures.length > 0) throw new Error([...failures, "actual history:", ...history.map((h) => `  ${h}`)].join("\n"));
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
