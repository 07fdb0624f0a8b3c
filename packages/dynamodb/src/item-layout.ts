// How an execution is laid out in the table (see docs/dynamodb.md):
//
//   pk = "X#<executionId>"
//     sk = "S#HEAD"             seq, slim summary, token, invocation, counts, due-time and lease
//     sk = "S#INPUT"            the execution input (never changes)
//     sk = "S#RESULT"           result / error once the execution ended
//     sk = "S#OUTCOME"          an outcome checkpointed with EXECUTION SUCCEED/FAIL
//     sk = "L#<seq>"            the log: the operations and history events one mutation wrote
//     sk = "T#<seq>#<nonce>#…"  staged items of a batch too big for one transaction
//   pk = "N#<executionName>", sk = "NAME"   the name claim: which execution owns a name
//
// Any value larger than PART_BYTES is split across "<sk>#P<k>" items that follow it in sort order.
// Every data item carries the seq of the mutation that wrote it: a reader that finds an item newer
// than the head it read knows the execution changed under it and reads again.
//
// Operations and events live in the log, one entry per mutation, rather than one item each: a
// mutation is then one item however many operations it touches (a map starting 250 items is one
// put, not 500), a checkpoint writes its bytes once, and a reader replays the entries in seq
// order, the latest version of an operation winning, as applyMutation does.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { PayloadTooLargeError } from "./errors.js";
import { A } from "./table.js";

export type Item = Record<string, AttributeValue>;

/** Below DynamoDB's 400 KB item limit with room for keys and attributes. */
export const PART_BYTES = 350_000;
/**
 * Largest single value the DynamoDB store keeps, in bytes of UTF-8 JSON (6 MiB: the size of a
 * Lambda invocation payload). It applies to the execution input, the result, each operation
 * (with its step result or error) and each history event; a larger one is refused with
 * {@link PayloadTooLargeError} and nothing of that write is stored.
 */
export const MAX_VALUE_BYTES = 6 * 1024 * 1024;

/**
 * Written on every head: the layout of the execution's items. Version 2 keeps operations and
 * events in a log (L#<seq>); heads without it were written with one item per operation.
 */
export const LAYOUT_VERSION = 2;

export const HEAD_SK = "S#HEAD";
export const INPUT_SK = "S#INPUT";
export const RESULT_SK = "S#RESULT";
export const OUTCOME_SK = "S#OUTCOME";
export const NAME_SK = "NAME";

export const executionPk = (executionId: string): string => `X#${executionId}`;
export const namePk = (executionName: string): string => `N#${executionName}`;
export const LOG_PREFIX = "L#";
export const logSk = (seq: number): string => `${LOG_PREFIX}${String(seq).padStart(10, "0")}`;
export const stagePrefix = (seq: number, nonce: string): string => `T#${seq}#${nonce}#`;

/** The key of an execution's head item, which every commit, lease and due-time write conditions on. */
export const headKey = (executionId: string): Item => ({ [A.pk]: { S: executionPk(executionId) }, [A.sk]: { S: HEAD_SK } });

const PART_MARK = "#P";
/** Part numbers have three digits. */
const MAX_PARTS = 999;

/** The items holding one value; throws PayloadTooLargeError (naming `what`) above MAX_VALUE_BYTES. */
export function valueItems(pk: string, sk: string, seq: number, json: string, what: string): Item[] {
  const bytes = Buffer.from(json, "utf8");
  if (bytes.length > MAX_VALUE_BYTES) throw new PayloadTooLargeError(what, bytes.length, MAX_VALUE_BYTES);
  return partItems(pk, sk, seq, bytes);
}

/** The items holding `bytes` of any size (a log entry: each value in it was checked on its own). */
export function partItems(pk: string, sk: string, seq: number, bytes: Buffer): Item[] {
  const count = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
  if (count > MAX_PARTS) {
    throw new RangeError(
      `One write of ${bytes.length} bytes is more than the store splits an item into (${MAX_PARTS} parts of ${PART_BYTES} bytes); ` +
        "checkpoint fewer operations at once (e.g. a map with maxConcurrency).",
    );
  }
  const items: Item[] = [];
  for (let k = 0; k < count; k++) {
    const item: Item = {
      [A.pk]: { S: pk },
      [A.sk]: { S: k === 0 ? sk : `${sk}${PART_MARK}${String(k).padStart(3, "0")}` },
      [A.seq]: { N: String(seq) },
      [A.data]: { B: bytes.subarray(k * PART_BYTES, (k + 1) * PART_BYTES) },
    };
    if (k === 0 && count > 1) item[A.parts] = { N: String(count) };
    items.push(item);
  }
  return items;
}

/** Approximate stored size of an item, for keeping transactions under 4 MB. */
export function itemBytes(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += name.length;
    if (value.S !== undefined) size += Buffer.byteLength(value.S);
    else if (value.B !== undefined) size += value.B.length;
    else if (value.N !== undefined) size += value.N.length;
    else size += 64;
  }
  return size;
}

/** Groups items read in sort-key order back into values: sk of the first item -> text. */
export class ValueAssembler {
  private pending: { sk: string; parts: Uint8Array[]; expected: number; seq: number } | undefined;
  readonly values = new Map<string, { text: string; seq: number }>();

  add(item: Item): void {
    const sk = item[A.sk]?.S ?? "";
    const data = item[A.data]?.B ?? new Uint8Array();
    const seq = Number(item[A.seq]?.N ?? "0");
    const partAt = sk.lastIndexOf(PART_MARK);
    if (partAt > 0 && this.pending && sk.slice(0, partAt) === this.pending.sk) {
      // Parts left over from an older, longer version of the value are ignored by count.
      if (this.pending.parts.length < this.pending.expected) this.pending.parts.push(data);
      this.flushIfComplete();
      return;
    }
    if (partAt > 0 && /^\d{3}$/.test(sk.slice(partAt + PART_MARK.length))) return; // orphaned part
    this.pending = { sk, parts: [data], expected: Number(item[A.parts]?.N ?? "1"), seq };
    this.flushIfComplete();
  }

  private flushIfComplete(): void {
    const p = this.pending;
    if (!p || p.parts.length < p.expected) return;
    this.values.set(p.sk, { text: Buffer.concat(p.parts).toString("utf8"), seq: p.seq });
  }
}
