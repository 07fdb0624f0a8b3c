// The web view over a DynamoDB table, through @cairn/dynamodb's client. The CLI does not depend on
// that package (people on the file store should not install the AWS SDK): it is an optional peer,
// loaded with import() only when `cairn ui --table` asks for it.
import { createRequire } from "node:module";
import { UsageError } from "../usage-error.js";
import { ServiceUiDataSource } from "./data-source.js";

/** Where {@link dynamoDbUiDataSource} reads. Credentials come from the AWS SDK's default chain. */
export interface DynamoDbUiOptions {
  /** The table the workers run from (created with `createCairnTable`). */
  table: string;
  /** Another endpoint than AWS's, e.g. DynamoDB Local at `http://127.0.0.1:8000`. */
  endpoint?: string | undefined;
  /** The AWS region; by default the SDK's (AWS_REGION, the profile). */
  region?: string | undefined;
}

/** A data source over a DynamoDB table, and the way to let go of its connections. */
export interface DynamoDbUiDataSource {
  /** The web view's data source: the client's checkpoint service. */
  source: ServiceUiDataSource;
  /**
   * Reads the table's settings and its list once, so a missing table, bad credentials or other
   * shard counts than the defaults show before the server starts.
   */
  check(): Promise<void>;
  /** Closes the DynamoDB client's connections. */
  close(): void;
}

/** The package that reads a DynamoDB table. */
export const DYNAMODB_PACKAGE = "@cairn/dynamodb";

/**
 * A viewer answers a person waiting for a page: a few retries of a throttled or unreachable table,
 * not the ten a worker makes.
 */
const VIEWER_RETRY = { maxAttempts: 4, maxDelayMs: 1_000 };

/**
 * Loads @cairn/dynamodb and opens a client on `options.table`.
 *
 * @throws UsageError when @cairn/dynamodb is not installed (the message says how to install it).
 */
export async function dynamoDbUiDataSource(options: DynamoDbUiOptions): Promise<DynamoDbUiDataSource> {
  const { dynamodb, awsSdk } = await loadDynamoDbPackages();
  const client = new awsSdk.DynamoDBClient({
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  const cairn = dynamodb.createCairnClient({ table: { client, tableName: options.table }, store: { retry: VIEWER_RETRY } });
  const where = [options.endpoint === undefined ? undefined : `at ${options.endpoint}`, options.region].filter(Boolean).join(", ");
  const source = new ServiceUiDataSource(cairn.service, {
    description: `DynamoDB table ${options.table}${where === "" ? "" : ` (${where})`}`,
    // The handler name the workers run it with: what a DynamoDB execution knows of its handler.
    handlerOf: (summary) => summary.functionName,
  });
  return {
    source,
    check: async () => {
      // The table's recorded shard counts must be the defaults this client lists with: with more
      // list shards, a listing over the default ones would silently miss executions.
      await cairn.store.checkSettings();
      await cairn.store.listIds();
    },
    close: () => client.destroy(),
  };
}

type DynamoDbModule = typeof import("@cairn/dynamodb");
type AwsSdkModule = typeof import("@aws-sdk/client-dynamodb");

/**
 * @cairn/dynamodb, and the AWS SDK client that package itself uses: resolved from its folder, not
 * the CLI's, so the table's client is the same copy its store sends commands with (and a strict
 * installer that does not hoist the SDK still finds it).
 */
async function loadDynamoDbPackages(): Promise<{ dynamodb: DynamoDbModule; awsSdk: AwsSdkModule }> {
  const entry = resolveOptional(DYNAMODB_PACKAGE, import.meta.url);
  const dynamodb = (await import("@cairn/dynamodb")) as DynamoDbModule;
  const awsSdk = createRequire(entry)("@aws-sdk/client-dynamodb") as AwsSdkModule;
  return { dynamodb, awsSdk };
}

/**
 * The path `name` resolves to from `from`.
 *
 * @throws UsageError saying how to install it when it is not installed.
 */
export function resolveOptional(name: string, from: string): string {
  try {
    return createRequire(from).resolve(name);
  } catch (error) {
    if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
    throw new UsageError(
      `--table reads DynamoDB through ${name}, which is not installed. Install it next to the CLI: npm i ${name}`,
      "ui",
    );
  }
}
