import type * as ClientDynamoDb from "@aws-sdk/client-dynamodb";
import { optionalPeer } from "../optional-peer.js";

/**
 * `@aws-sdk/client-dynamodb`, loaded on first use: an optional peer, so the S3 sources work
 * without it. The commands come from the application's own copy, as its `DynamoDBClient` does.
 */
export const dynamoDbModule: () => Promise<typeof ClientDynamoDb> = optionalPeer(
  "@aws-sdk/client-dynamodb",
  "The DynamoDB sources",
  () => import("@aws-sdk/client-dynamodb"),
);
