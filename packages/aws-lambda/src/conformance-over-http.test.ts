// The conformance vectors of the step, wait, child, parallel, map and callback categories, run
// with every checkpoint and state read of the handler going through the real @aws-sdk/client-lambda
// and the local HTTP endpoint of the Lambda API. The conformance library is reused unchanged: each
// handler is wrapped so that its invocation's backend is a LambdaCheckpointBackend whose requests
// the endpoint hands to the backend the local runner gave that invocation (fault injection included).
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
import type { HandlerModule } from "../../../testing/conformance/lib/handler-module.js";
import { listRequirementFiles, loadRequirement } from "../../../testing/conformance/lib/loader.js";
import { runRequirement } from "../../../testing/conformance/lib/run-requirement.js";
import { LambdaCheckpointBackend } from "./lambda-checkpoint-backend.js";
import { startLocalLambdaEndpoint, type LocalLambdaEndpoint } from "./local-endpoint.js";
import { loopbackClient } from "./test-support/lambda-harness.js";
import { decodeInvocationInput } from "./with-durable-execution.js";

const CATEGORIES = ["step", "wait", "child", "parallel", "map", "callback", "wait_for_callback"];
const files = listRequirementFiles(undefined, CATEGORIES);
const HANDLERS_DIR = new URL("../../../testing/conformance/handlers/", import.meta.url);

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
  for (const file of files) {
    test(file.key, async () => {
      const url = new URL(`${file.category}/${file.id}.ts`, HANDLERS_DIR);
      const mod = (await import(pathToFileURL(decodeURIComponent(url.pathname)).href)) as HandlerModule;
      const req = loadRequirement(file.file, file.category);
      const { failures, history } = await runRequirement(req, { ...mod, handler: overHttp(mod.handler) }, "skipped-time");
      if (failures.length > 0) throw new Error([...failures, "actual history:", ...history.map((h) => `  ${h}`)].join("\n"));
    });
  }
  test("every run went through the HTTP endpoint", () => {
    // At least one checkpoint call per vector (a few write nothing: they fail validation first).
    expect(endpoint.requests.get("CheckpointDurableExecution") ?? 0).toBeGreaterThan(files.length);
  });
});
