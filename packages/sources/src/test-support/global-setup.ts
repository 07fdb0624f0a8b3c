// vitest globalSetup: one DynamoDB Local for the run, started the way @cairn/dynamodb's tests start
// it (an endpoint given in CAIRN_DYNAMODB_ENDPOINT, Docker, else the bundled jar with Java 17+;
// neither available fails the run with what to install).
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal, type RunningDynamoDbLocal } from "../../../dynamodb/src/test-support/dynamodb-local.js";

let running: RunningDynamoDbLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  running = await startDynamoDbLocal();
  project.provide("sourcesDynamoDbEndpoint", running.endpoint);
}

export async function teardown(): Promise<void> {
  await running?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    sourcesDynamoDbEndpoint: string;
  }
}
