// The S3 requests of S3FailedItemWriter, each failure reported with the request and the object or
// listing it was for (the SDK's own message rarely names the bucket or key).
import type { S3Client } from "@aws-sdk/client-s3";
import type { DistributedMapFailedItem } from "@cairn/sdk";
import { s3Module } from "./s3-module.js";

/** Where the writer's objects live, and how many keys one listing call asks for. */
export interface FailedItemStore {
  client: S3Client;
  bucket: string;
  listPageSize: number;
}

const CALLER = "S3FailedItemWriter";

async function request<T>(what: string, location: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`${CALLER}: ${what} ${location} failed (${detail})`, { cause: error });
  }
}

/** Stores a page's failed items as one JSON-lines object, replacing the object already there. */
export async function putPage(store: FailedItemStore, key: string, items: readonly DistributedMapFailedItem[]): Promise<void> {
  const { PutObjectCommand } = await s3Module();
  const body = items.map((item) => JSON.stringify(item) + "\n").join("");
  await request("PutObject", `s3://${store.bucket}/${key}`, () =>
    store.client.send(new PutObjectCommand({ Bucket: store.bucket, Key: key, Body: body, ContentType: "application/x-ndjson" })),
  );
}

/** The failed items of one page object, in the order they were written. */
export async function getPage(store: FailedItemStore, key: string): Promise<DistributedMapFailedItem[]> {
  const { GetObjectCommand } = await s3Module();
  const location = `s3://${store.bucket}/${key}`;
  const text = await request("GetObject", location, async () => {
    const response = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
    return response.Body === undefined ? "" : response.Body.transformToString("utf8");
  });
  const items: DistributedMapFailedItem[] = [];
  let offset = 0;
  for (const line of text.split("\n")) {
    if (line.length > 0) {
      try {
        items.push(JSON.parse(line) as DistributedMapFailedItem);
      } catch (error) {
        throw new Error(`${CALLER}: ${location} at character ${offset} is not a JSON line (${(error as Error).message}); it was not written by this writer.`, { cause: error });
      }
    }
    offset += line.length + 1;
  }
  return items;
}

/** What one ListObjectsV2 call gave: keys and common prefixes, and where the next call starts. */
export interface Listing {
  keys: string[];
  folders: string[];
  next?: string | undefined;
}

/**
 * One ListObjectsV2 call under `prefix`: from `token` (a continuation token) else after
 * `startAfter`, at most `maxKeys` (else the store's list page size) keys.
 */
export async function listOnce(
  store: FailedItemStore,
  prefix: string,
  from: { token?: string | undefined; startAfter?: string | undefined; delimiter?: string | undefined; maxKeys?: number | undefined },
): Promise<Listing> {
  const { ListObjectsV2Command } = await s3Module();
  const page = await request("ListObjectsV2", `s3://${store.bucket}/${prefix}*`, () =>
    store.client.send(
      new ListObjectsV2Command({
        Bucket: store.bucket,
        Prefix: prefix,
        ContinuationToken: from.token,
        StartAfter: from.token === undefined ? from.startAfter : undefined,
        Delimiter: from.delimiter,
        MaxKeys: from.maxKeys ?? store.listPageSize,
      }),
    ),
  );
  return {
    keys: (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key])),
    folders: (page.CommonPrefixes ?? []).flatMap((common) => (common.Prefix === undefined ? [] : [common.Prefix])),
    next: page.IsTruncated ? page.NextContinuationToken : undefined,
  };
}

/** Every key (or with `delimiter`, every common prefix) under `prefix`, in S3's key order, following continuation tokens. */
export async function listAll(store: FailedItemStore, prefix: string, delimiter?: string): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const listing = await listOnce(store, prefix, { token, delimiter });
    found.push(...(delimiter === undefined ? listing.keys : listing.folders));
    token = listing.next;
  } while (token !== undefined);
  return found;
}
