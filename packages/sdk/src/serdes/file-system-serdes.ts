// A serdes that keeps values in files on a shared filesystem (Amazon EFS, S3 Files mounted into
// the function) and only a pointer to the file — with an optional preview — in the checkpoint:
// for values larger than a checkpoint holds, or that should not sit in the execution's history.
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../errors/validation-error.js";
import type { AnySerdes, SerdesContext } from "../types/serdes.js";
import { MAX_OPERATION_PAYLOAD_BYTES } from "../protocol/limits.js";
import { writeFileWhole } from "./whole-file.js";

/** When {@link createFileSystemSerdes} writes a value to a file. */
export enum FileSystemSerdesMode {
  /** Every value (the default): the checkpoint holds only the file's path (and a preview). */
  ALWAYS = "ALWAYS",
  /** Only a value too large to checkpoint; smaller ones are stored inline as JSON. */
  OVERFLOW = "OVERFLOW",
}

/** How an execution's ARN and an operation's id become directory and file names. */
export enum FileSystemPathEncoding {
  /**
   * Readable (the default): `<function>/<execution name>/<invocation id>/` for an AWS Lambda
   * durable-execution ARN, else the ARN URI-encoded as one directory; the file is the operation
   * id, URI-encoded. A very long id can exceed the filesystem's 255-byte name limit.
   */
  URI = "URI",
  /** The SHA-256 of the ARN as the directory and of the operation id as the file: fixed-length names. */
  HASH = "HASH",
}

/** Options of {@link createFileSystemSerdes}. */
export interface FileSystemSerdesConfig {
  /** When to write a file (default ALWAYS). */
  storageMode?: FileSystemSerdesMode;
  /** How paths are named (default URI). */
  pathEncoding?: FileSystemPathEncoding;
  /**
   * What to keep in the checkpoint beside the file's path, for people and tools reading the
   * history (e.g. `(value) => buildPreview(value, …)`); undefined keeps none. Never read back.
   */
  generatePreview?: (value: unknown) => Record<string, unknown> | undefined;
}

/** Room left in a checkpoint for what surrounds the stored string. */
const ENVELOPE_HEADROOM_BYTES = 1024;

/** An AWS Lambda durable-execution ARN: function, execution name and invocation id. */
const LAMBDA_EXECUTION_ARN = /^arn:[^:]*:lambda:[^:]*:[^:]*:function:([^:/]+):[^:/]+\/durable-execution\/([^/]+)\/([^/]+)$/;

/** What the checkpoint holds: the value inline, or where its file is. */
type Envelope = { data: string } | { file: string; preview?: Record<string, unknown> };

/**
 * A serdes that writes each value as JSON to a file under `basePath` and checkpoints
 * `{"file":"<path>"}` (with `"preview"` when `generatePreview` gives one), or with
 * `storageMode: OVERFLOW` checkpoints `{"data":"<JSON>"}` and writes a file only for a value too
 * large for a checkpoint. The envelope is the AWS SDK's, so either SDK reads what the other wrote.
 *
 * `basePath` must be a filesystem every invocation of the execution sees — a later invocation may
 * run elsewhere and must find the file: Amazon EFS or S3 Files, not Lambda's `/tmp`. A file is
 * written whole and made durable (to a temporary name, flushed, renamed, its directory synced)
 * before its checkpoint is, so a checkpoint never points at a partial or missing file, even after
 * a power loss. Values go through `JSON.stringify`: a `Date` comes
 * back as its string, as with any JSON serdes. Files are not removed when the execution ends.
 *
 * @example
 * ```ts
 * ctx.configureSerdes({
 *   defaultSerdes: createFileSystemSerdes("/mnt/efs/executions", {
 *     storageMode: FileSystemSerdesMode.OVERFLOW,
 *     generatePreview: (value) => buildPreview(value, { mode: PreviewMode.EXCLUDE_ALL, include: [{ name: "id" }] }),
 *   }),
 * });
 * ```
 */
export function createFileSystemSerdes(basePath: string, config: FileSystemSerdesConfig = {}): AnySerdes {
  checkArguments(basePath, config);
  const storageMode = config.storageMode ?? FileSystemSerdesMode.ALWAYS;
  const pathEncoding = config.pathEncoding ?? FileSystemPathEncoding.URI;

  const toFile = async (value: unknown, json: string, context: SerdesContext): Promise<string> => {
    const file = join(executionDirectory(basePath, context.durableExecutionArn, pathEncoding), `${encode(context.entityId, pathEncoding)}.json`);
    await writeFileWhole(file, json);
    const preview = config.generatePreview?.(value);
    return JSON.stringify(preview === undefined ? { file } : { file, preview });
  };

  return {
    serialize: async (value, context) => {
      if (value === undefined) return undefined;
      const json = JSON.stringify(value);
      if (storageMode === FileSystemSerdesMode.ALWAYS) return toFile(value, json, context);
      const inline = JSON.stringify({ data: json });
      return Buffer.byteLength(inline, "utf8") > MAX_OPERATION_PAYLOAD_BYTES - ENVELOPE_HEADROOM_BYTES ? toFile(value, json, context) : inline;
    },
    deserialize: async (data, context) => {
      if (data === undefined) return undefined;
      const envelope = JSON.parse(data) as Envelope;
      if (!("file" in envelope)) return JSON.parse(envelope.data) as unknown;
      let contents: string;
      try {
        contents = await fs.readFile(envelope.file, "utf8");
      } catch (error) {
        throw new Error(
          `The value of operation ${context.entityId} was stored in ${envelope.file}, which cannot be read ` +
            `(${(error as Error).message}). A file-system serdes needs a filesystem every invocation sees ` +
            "(Amazon EFS, S3 Files), not one local to a single machine such as Lambda's /tmp.",
          { cause: error },
        );
      }
      return JSON.parse(contents) as unknown;
    },
  };
}

/** The directory of an execution's files (see FileSystemPathEncoding). */
function executionDirectory(basePath: string, arn: string, encoding: FileSystemPathEncoding): string {
  const lambda = encoding === FileSystemPathEncoding.URI ? LAMBDA_EXECUTION_ARN.exec(arn) : null;
  return lambda ? join(basePath, lambda[1] as string, lambda[2] as string, lambda[3] as string) : join(basePath, encode(arn, encoding));
}

function encode(segment: string, encoding: FileSystemPathEncoding): string {
  return encoding === FileSystemPathEncoding.HASH ? createHash("sha256").update(segment).digest("hex") : encodeURIComponent(segment);
}

function checkArguments(basePath: unknown, config: FileSystemSerdesConfig): void {
  if (typeof basePath !== "string" || basePath === "") {
    throw new ValidationError("createFileSystemSerdes: basePath must be the directory to keep values in, e.g. \"/mnt/efs/executions\".");
  }
  if (typeof config !== "object" || config === null) throw new ValidationError("createFileSystemSerdes: config must be an object.");
  if (config.storageMode !== undefined && !Object.values(FileSystemSerdesMode).includes(config.storageMode)) {
    throw new ValidationError(`createFileSystemSerdes: storageMode must be FileSystemSerdesMode.ALWAYS or OVERFLOW (got ${JSON.stringify(config.storageMode)}).`);
  }
  if (config.pathEncoding !== undefined && !Object.values(FileSystemPathEncoding).includes(config.pathEncoding)) {
    throw new ValidationError(`createFileSystemSerdes: pathEncoding must be FileSystemPathEncoding.URI or HASH (got ${JSON.stringify(config.pathEncoding)}).`);
  }
  if (config.generatePreview !== undefined && typeof config.generatePreview !== "function") {
    throw new ValidationError("createFileSystemSerdes: generatePreview must be a function (value) => object | undefined.");
  }
}
