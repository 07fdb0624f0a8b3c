import type { S3Client } from "@aws-sdk/client-s3";
import { SourceObjectChangedError } from "../errors.js";
import { s3Module } from "./s3-module.js";

/** The bytes of one ranged GET and what S3 said about the whole object. */
export interface RangeRead {
  /** The bytes from the requested offset (fewer than asked at the object's end). */
  bytes: Buffer;
  /** The object's ETag. */
  etag: string;
  /** The object's whole size in bytes. */
  total: number;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/**
 * Reads `length` bytes of an object from `offset` with a Range GET. With `etag` the GET carries
 * If-Match, so S3 refuses (412) when the object was overwritten; the response's ETag is compared
 * too, for S3-compatible servers that ignore If-Match. Either way a changed object throws
 * {@link SourceObjectChangedError} instead of giving bytes of another object at an old offset.
 */
export async function readRange(client: S3Client, bucket: string, key: string, offset: number, length: number, etag: string | undefined): Promise<RangeRead> {
  const { GetObjectCommand } = await s3Module();
  let response;
  try {
    response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${offset}-${offset + length - 1}`, IfMatch: etag }));
  } catch (error) {
    const status = statusOf(error);
    if (etag !== undefined && status === 412) throw new SourceObjectChangedError(bucket, key, `its ETag is no longer ${etag}`);
    if (status === 416) {
      // A range starting at or past the end: an empty object when reading from 0, else one that shrank.
      if (offset === 0) return { bytes: Buffer.alloc(0), etag: etag ?? "", total: 0 };
      if (etag !== undefined) throw new SourceObjectChangedError(bucket, key, `it is now shorter than byte ${offset}`);
    }
    throw error;
  }
  const received = response.ETag ?? "";
  if (etag !== undefined && received !== etag) throw new SourceObjectChangedError(bucket, key, `its ETag is now ${received}, was ${etag}`);
  const total = Number(/\/(\d+)$/.exec(response.ContentRange ?? "")?.[1] ?? Number.NaN);
  const body = response.Body === undefined ? new Uint8Array(0) : await response.Body.transformToByteArray();
  const size = Number.isFinite(total) ? total : offset + body.length;
  // Some servers answer a range on an empty object with a byte of padding: trust the total.
  const usable = Math.max(0, Math.min(body.length, size - offset));
  return { bytes: Buffer.from(body.buffer, body.byteOffset, usable), etag: received, total: size };
}
