import { randomBytes, randomUUID } from "node:crypto";
import { monotonicFactory } from "ulid";

/**
 * Where the core gets fresh identifiers. Injected so the pure core stays deterministic in tests;
 * `randomIds` is the real source.
 */
export interface IdSource {
  /** Identifies one invocation; every checkpoint token of that invocation starts with it. */
  invocationKey(): string;
  /** The unguessable part of a checkpoint token. */
  tokenSecret(): string;
  /** A fresh invocation request id. */
  requestId(): string;
  /** The unguessable part of a callback id (see callback-ids.ts for the rest). */
  callbackSecret(): string;
  /** Id for an execution the service creates itself (a chained invoke's target); default a ULID. */
  executionId?(): string;
}

// Every checkpoint gets a new token, so random bytes are drawn from a pool refilled from the
// CSPRNG a page at a time rather than with one system call per token.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function pooledRandom(size: number): string {
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const text = pool.toString("base64url", offset, offset + size);
  offset += size;
  return text;
}

// Tokens and callback ids are capabilities: 128 random bits, nothing else encoded beyond the
// (non-secret) invocation key that lets getExecutionState accept any token of the invocation.
/** The real id source: random tokens and callback ids (128 bits), UUID request ids, ULID execution ids. */
export const randomIds: IdSource = {
  invocationKey: () => pooledRandom(9),
  tokenSecret: () => pooledRandom(16),
  requestId: () => randomUUID(),
  callbackSecret: () => randomBytes(16).toString("base64url"),
  executionId: () => newExecutionId(),
};

export function makeCheckpointToken(invocationKey: string, secret: string): string {
  return `${invocationKey}.${secret}`;
}

export function invocationKeyOfToken(token: string): string {
  const dot = token.indexOf(".");
  return dot < 0 ? "" : token.slice(0, dot);
}

const newUlid = monotonicFactory();

/** Execution ids are ULIDs: unique, and they sort by creation time. */
export function newExecutionId(): string {
  return newUlid();
}

const EXECUTION_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const ARN = /^arn:cairn:local:execution\/([^/]+)\/([0-9A-HJKMNP-TV-Z]{26})$/;

export function isExecutionId(id: string): boolean {
  return EXECUTION_ID.test(id);
}

/** The ARN of an execution: `arn:cairn:local:execution/<name>/<id>`. */
export function executionArnOf(executionName: string, executionId: string): string {
  return `arn:cairn:local:execution/${executionName}/${executionId}`;
}

/** The execution id inside a Cairn ARN, or undefined when the string is not one. */
export function executionIdOfArn(executionArn: string): string | undefined {
  return ARN.exec(executionArn)?.[2];
}

/**
 * Names go into ARNs (so no "/") and, hashed, into file names. Control characters would make
 * logs and CLI output unreadable.
 */
export function executionNameProblem(name: string): string | undefined {
  if (name.length === 0) return "it is empty";
  if (name.length > 256) return "it is longer than 256 characters";
  if (name.includes("/")) return 'it contains "/"';
  if (/[\u0000-\u001f\u007f]/.test(name)) return "it contains control characters";
  return undefined;
}
