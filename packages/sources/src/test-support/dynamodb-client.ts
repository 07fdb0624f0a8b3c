import { CreateTableCommand, DynamoDBClient, type AttributeDefinition, type KeySchemaElement } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";

export function dynamoDbClient(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: inject("sourcesDynamoDbEndpoint"),
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

let tables = 0;

/** Creates a table with a fresh name: `pk` (and `sk` when given) of the given types. */
export async function createTable(client: DynamoDBClient, pk: "S" | "N" | "B", sk?: "S" | "N" | "B"): Promise<string> {
  const name = `sources-${process.pid}-${++tables}`;
  const attributes: AttributeDefinition[] = [{ AttributeName: "pk", AttributeType: pk }];
  const schema: KeySchemaElement[] = [{ AttributeName: "pk", KeyType: "HASH" }];
  if (sk) {
    attributes.push({ AttributeName: "sk", AttributeType: sk });
    schema.push({ AttributeName: "sk", KeyType: "RANGE" });
  }
  await client.send(new CreateTableCommand({ TableName: name, AttributeDefinitions: attributes, KeySchema: schema, BillingMode: "PAY_PER_REQUEST" }));
  return name;
}
