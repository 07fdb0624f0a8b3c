// An execution record as data items and back: the items a mutation writes (its log entry with the
// operations and history events, the outcome and result), and the record rebuilt from a head and
// the items read with it. The layout itself is in item-layout.ts.
import {
  applyMutation,
  createEmptyRecord,
  type ActiveInvocation,
  type CheckpointedOutcome,
  type ExecutionMutation,
  type ExecutionSummary,
} from "@cairn/sdk/service";
import type { HistoryEvent, Operation } from "@cairn/sdk";
import { decodeJson, encodeJson } from "./codec.js";
import { PayloadTooLargeError } from "./errors.js";
import { dueAtOfHead, type Head } from "./head-item.js";
import {
  INPUT_SK,
  LAYOUT_VERSION,
  LOG_PREFIX,
  MAX_VALUE_BYTES,
  OUTCOME_SK,
  RESULT_SK,
  ValueAssembler,
  executionPk,
  logSk,
  partItems,
  valueItems,
  type Item,
} from "./item-layout.js";
import type { CacheEntry } from "./record-cache.js";
import { A } from "./table.js";

/** What S#RESULT holds for `summary`, or undefined while it has neither result nor error. */
export function resultJsonOf(summary: ExecutionSummary): string | undefined {
  return summary.result === undefined && summary.error === undefined
    ? undefined
    : encodeJson({ result: summary.result, error: summary.error });
}

/**
 * The data items a mutation writes (everything but the head): one log entry with its operations
 * and events, in the order given (applying them in order gives what applyMutation gives), and the
 * outcome and result when they change. Throws PayloadTooLargeError, before anything is written,
 * for a value above MAX_VALUE_BYTES.
 */
export function mutationItems(entry: CacheEntry, mutation: ExecutionMutation): Item[] {
  const pk = executionPk(entry.record.executionId);
  const seq = mutation.seq;
  const items: Item[] = [];
  const operations = mutation.operations ?? [];
  const events = mutation.events ?? [];
  if (operations.length > 0 || events.length > 0) {
    const ops = operations.map((op) =>
      checked(encodeJson(op), () => `operation "${op.Id}"${op.Name === undefined ? "" : ` (${op.Name})`}`),
    );
    const evs = events.map((event) =>
      checked(encodeJson(event), () => `history event ${event.EventId} (${event.EventType}${event.Name === undefined ? "" : ` of "${event.Name}"`})`),
    );
    items.push(...partItems(pk, logSk(seq), seq, Buffer.from(`{"o":[${ops.join(",")}],"e":[${evs.join(",")}]}`, "utf8")));
  }
  if (mutation.outcome) {
    items.push(...valueItems(pk, OUTCOME_SK, seq, encodeJson(mutation.outcome), "the checkpointed execution outcome"));
  }
  if (mutation.summary) {
    const resultJson = resultJsonOf(mutation.summary);
    if (resultJson !== undefined && resultJson !== entry.resultJson) {
      items.push(...valueItems(pk, RESULT_SK, seq, resultJson, "the execution result"));
    }
  }
  return items;
}

/** `json`, unless it is above MAX_VALUE_BYTES: then PayloadTooLargeError naming `what()`. */
function checked(json: string, what: () => string): string {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: measure only what might be too large.
  if (json.length * 3 > MAX_VALUE_BYTES) {
    const bytes = Buffer.byteLength(json, "utf8");
    if (bytes > MAX_VALUE_BYTES) throw new PayloadTooLargeError(what(), bytes, MAX_VALUE_BYTES);
  }
  return json;
}

/** The full summary: the head's slim summary with the input and result items put back. */
export function summaryOf(head: Head, values: ValueAssembler): ExecutionSummary {
  const summary = decodeJson<ExecutionSummary>(head.item[A.summary]?.S ?? "{}");
  const input = values.values.get(INPUT_SK);
  if (input) summary.input = input.text;
  if (head.item[A.hasResult]?.BOOL) {
    const stored = values.values.get(RESULT_SK);
    if (stored) {
      const { result, error } = decodeJson<Pick<ExecutionSummary, "result" | "error">>(stored.text);
      if (result !== undefined) summary.result = result;
      if (error !== undefined) summary.error = error;
    }
  }
  return summary;
}

/**
 * The record of execution `id` from its head and every item read after it: the log entries up to
 * the head's seq replayed in order. Throws when the head was written by an older layout, or when
 * the items are fewer than the head counts (a table damaged outside Cairn).
 */
export function recordOf(tableName: string, id: string, head: Head, items: Item[]): CacheEntry {
  if (Number(head.item[A.layout]?.N ?? "1") !== LAYOUT_VERSION) {
    throw new Error(
      `Execution ${id} in table "${tableName}" was written by an older version of @cairn/dynamodb (one item per operation); ` +
        "this version keeps a log per execution and cannot read it. Finish such executions with the version that started them, " +
        "or start them again on a new table.",
    );
  }
  const values = new ValueAssembler();
  for (const item of items) values.add(item);
  const opCount = Number(head.item[A.opCount]?.N ?? "0");
  const eventCount = Number(head.item[A.eventCount]?.N ?? "0");
  const operations = new Map<string, Operation>();
  const events: HistoryEvent[] = [];
  // Map order is insertion order, and the items came back in sort-key (= seq) order.
  for (const [sk, { text, seq }] of values.values) {
    if (!sk.startsWith(LOG_PREFIX) || seq > head.seq) continue;
    const entry = decodeJson<{ o: Operation[]; e: HistoryEvent[] }>(text);
    for (const op of entry.o) operations.set(op.Id, op);
    for (const event of entry.e) events.push(event);
  }
  if (operations.size !== opCount || events.length !== eventCount) {
    throw new Error(
      `Execution ${id} in table "${tableName}" is incomplete: the head lists ${opCount} operations and ` +
        `${eventCount} events, ${operations.size} and ${events.length} were found. Restore the table from a backup.`,
    );
  }
  const summary = summaryOf(head, values);
  const token = head.item[A.token]?.S;
  const invocation = head.item[A.invocation]?.S;
  const outcome = head.item[A.hasOutcome]?.BOOL ? values.values.get(OUTCOME_SK) : undefined;
  const record = createEmptyRecord(id);
  // Rebuilding through applyMutation keeps derived state (timers) computed one way only.
  applyMutation(record, {
    seq: 1,
    summary,
    checkpointToken: token ?? null,
    invocation: invocation === undefined ? null : decodeJson<ActiveInvocation>(invocation),
    outcome: outcome === undefined ? null : decodeJson<CheckpointedOutcome>(outcome.text),
    wakePending: head.item[A.wakePending]?.BOOL ? true : null,
    operations: [...operations.values()],
    events,
  });
  record.seq = head.seq;
  return { record, resultJson: resultJsonOf(summary), dueAt: dueAtOfHead(head) };
}
