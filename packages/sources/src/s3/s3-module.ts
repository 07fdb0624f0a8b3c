import type * as ClientS3 from "@aws-sdk/client-s3";
import { optionalPeer } from "../optional-peer.js";

/**
 * `@aws-sdk/client-s3`, loaded on first use: it is an optional peer, so importing this package for
 * its DynamoDB sources must not require it. The commands come from the copy the application has
 * installed, the same one its `S3Client` comes from.
 */
export const s3Module: () => Promise<typeof ClientS3> = optionalPeer("@aws-sdk/client-s3", "The S3 sources", () => import("@aws-sdk/client-s3"));
