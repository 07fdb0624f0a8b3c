// A fresh table per test (or suite) on the run's DynamoDB Local.
import { DeleteTableCommand, DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { createCairnTable, type CairnTable } from "../table.js";

export function localClientConfig(endpoint = inject("dynamoDbEndpoint")): DynamoDBClientConfig {
  return { endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
}

export function localClient(): DynamoDBClient {
  return new DynamoDBClient(localClientConfig());
}

export interface TestTable extends CairnTable {
  /** Deletes the table and closes the client. */
  drop(): Promise<void>;
}

export async function createTestTable(client: DynamoDBClient = localClient()): Promise<TestTable> {
  const tableName = `cairn-test-${randomUUID().slice(0, 8)}`;
  await createCairnTable(client, tableName);
  return {
    client,
    tableName,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    },
  };
}
