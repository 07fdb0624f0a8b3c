// How an execution is laid out in the table (see docs/dynamodb.md):
//
//   pk = "X#<executionId>"
//     sk = "S#HEAD"             seq, slim summary, token, invocation, counts, due-time and lease
//     sk = "S#INPUT"            the execution input (never changes)
//     sk = "S#RESULT"           result / error once the execution ended
//     sk = "S#OUTCOME"          an outcome checkpointed with EXECUTION SUCCEED/FAIL
//     sk = "O#<position>"       one operation, at its position in insertion order
//     sk = "E#<eventId>"        one history event
//     sk = "T#<seq>#<nonce>#…"  staged items of a batch too big for one transaction
//   pk = "N#<executionName>", sk = "NAME"   the name claim: which execution owns a name
//
// Any value larger than PART_BYTES is split across "<sk>#P<k>" items that follow it in sort order.
// Every data item carries the seq of the mutation that wrote it: a reader that finds an item newer
// than the head it read knows the execution changed under it and reads again.
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

export const HEAD_SK = "S#HEAD";
export const INPUT_SK = "S#INPUT";
export const RESULT_SK = "S#RESULT";
export const OUTCOME_SK = "S#OUTCOME";
export const NAME_SK = "NAME";

export const executionPk = (executionId: string): string => `X#${executionId}`;
export const namePk = (executionName: string): string => `N#${executionName}`;
export const operationSk = (position: number): string => `O#${String(position).padStart(9, "0")}`;
export const eventSk = (eventId: number): string => `E#${String(eventId).padStart(10, "0")}`;
export const stagePrefix = (seq: number, nonce: string): string => `T#${seq}#${nonce}#`;

/** The key of an execution's head item, which every commit, lease and due-time write conditions on. */
export const headKey = (executionId: string): Item => ({ [A.pk]: { S: executionPk(executionId) }, [A.sk]: { S: HEAD_SK } });

const PART_MARK = "#P";

/** The items holding one value; throws PayloadTooLargeError (naming `what`) above MAX_VALUE_BYTES. */
export function valueItems(pk: string, sk: string, seq: number, json: string, what: string): Item[] {
  const bytes = Buffer.from(json, "utf8");
  if (bytes.length > MAX_VALUE_BYTES) throw new PayloadTooLargeError(what, bytes.length, MAX_VALUE_BYTES);
  const count = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
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
