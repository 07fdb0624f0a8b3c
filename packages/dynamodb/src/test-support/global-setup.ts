// vitest globalSetup: one DynamoDB Local per test run, shared by every test file.
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal, type RunningDynamoDbLocal } from "./dynamodb-local.js";

let running: RunningDynamoDbLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  running = await startDynamoDbLocal();
  project.provide("dynamoDbEndpoint", running.endpoint);
  project.provide("dynamoDbVia", running.via);
}

export async function teardown(): Promise<void> {
  await running?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
    dynamoDbVia: RunningDynamoDbLocal["via"];
  }
}
