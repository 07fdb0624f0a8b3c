// Runs a handler the way AWS Lambda does, against a local service: the orchestrator begins and ends
// invocations in-process (as the Lambda service does), while the handler talks to the service only
// through the real @aws-sdk/client-lambda over HTTP on loopback, with no in-process environment.
import { LambdaClient } from "@aws-sdk/client-lambda";
import { CheckpointService, MemoryExecutionStore } from "@cairn/sdk/service";
import { VirtualClock, runExecution, type OrchestrationResult } from "@cairn/sdk/orchestrator";
import { type DurableLambdaHandler } from "@cairn/sdk";
import { startLocalLambdaEndpoint, type InjectedFailure, type LocalLambdaEndpoint } from "../local-endpoint.js";

export function loopbackClient(endpoint: LocalLambdaEndpoint): LambdaClient {
  return new LambdaClient({
    endpoint: endpoint.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

export interface LambdaWorld {
  clock: VirtualClock;
  service: CheckpointService;
  endpoint: LocalLambdaEndpoint;
  client: LambdaClient;
  /** Set to make the endpoint fail requests. */
  inject: ((request: { operation: string }) => InjectedFailure | undefined) | undefined;
  close(): Promise<void>;
}

export async function startLambdaWorld(): Promise<LambdaWorld> {
  const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  const world = { clock, service, inject: undefined } as LambdaWorld;
  world.endpoint = await startLocalLambdaEndpoint({ service, injectFailure: (request) => world.inject?.(request) });
  world.client = loopbackClient(world.endpoint);
  world.close = async () => {
    world.client.destroy();
    await world.endpoint.close();
  };
  return world;
}

/** Drives an execution; the handler gets a plain wire input, as on Lambda. */
export async function runOnLambda(
  world: LambdaWorld,
  handler: DurableLambdaHandler,
  input: unknown,
  options: { invocationTimeoutMs?: number; maxInvocations?: number } = {},
): Promise<OrchestrationResult> {
  return runExecution({
    service: world.service,
    clock: world.clock,
    // A copy without the orchestrator's environment (a non-enumerable symbol): what Lambda sends.
    handler: (wireInput, context) => handler({ ...wireInput }, context),
    target: { start: { input: JSON.stringify(input) } },
    invocationTimeoutMs: options.invocationTimeoutMs,
    maxInvocations: options.maxInvocations,
  });
}
