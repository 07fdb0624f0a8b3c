import type * as ClientDynamoDb from "@aws-sdk/client-dynamodb";

let loaded: Promise<typeof ClientDynamoDb> | undefined;

/**
 * `@aws-sdk/client-dynamodb`, loaded on first use: an optional peer, so the S3 sources work
 * without it. The commands come from the application's own copy, as its `DynamoDBClient` does.
 */
export function dynamoDbModule(): Promise<typeof ClientDynamoDb> {
  loaded ??= import("@aws-sdk/client-dynamodb").catch((error: unknown) => {
    loaded = undefined;
    throw new Error(
      `The DynamoDB sources of @cairn/sources need the peer dependency @aws-sdk/client-dynamodb; install it (npm install @aws-sdk/client-dynamodb). ` +
        `Loading it failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  return loaded;
}
