import type * as ClientS3 from "@aws-sdk/client-s3";

let loaded: Promise<typeof ClientS3> | undefined;

/**
 * `@aws-sdk/client-s3`, loaded on first use: it is an optional peer, so importing this package for
 * its DynamoDB sources must not require it. The commands come from the copy the application has
 * installed, the same one its `S3Client` comes from.
 */
export function s3Module(): Promise<typeof ClientS3> {
  loaded ??= import("@aws-sdk/client-s3").catch((error: unknown) => {
    loaded = undefined;
    throw new Error(
      `The S3 sources of @cairn/sources need the peer dependency @aws-sdk/client-s3; install it (npm install @aws-sdk/client-s3). ` +
        `Loading it failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  return loaded;
}
