import type { _Object } from "@aws-sdk/client-s3";

/** One object of an S3 listing, as {@link s3ObjectsSource} yields it: plain JSON. */
export interface S3ObjectSummary {
  /** The object's key. */
  key: string;
  /** Its size in bytes. */
  size: number;
  /** Its ETag as S3 gives it (quoted; a multipart upload's has a `-<parts>` suffix). */
  etag: string;
  /** When it was last modified, as an ISO 8601 string. */
  lastModified: string;
}

/** Turns a ListObjectsV2 entry into a summary. */
export function summaryOf(object: _Object): S3ObjectSummary {
  return {
    key: object.Key ?? "",
    size: object.Size ?? 0,
    etag: object.ETag ?? "",
    lastModified: object.LastModified?.toISOString() ?? "",
  };
}
