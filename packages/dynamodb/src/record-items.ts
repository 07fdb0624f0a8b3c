// An execution record as data items and back: the items a mutation writes (operations at their
// positions, history events, the outcome and result), and the record rebuilt from a head and the
// items read with it. The layout itself is in item-layout.ts.
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
import type { Head } from "./head-item.js";
import {
  INPUT_SK,
  OUTCOME_SK,
  RESULT_SK,
  ValueAssembler,
  eventSk,
  executionPk,
  operationSk,
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
 * The data items a mutation writes (everything but the head), with new operations placed after
 * the cached record's. Throws PayloadTooLargeError, before anything is written, for a value above
 * MAX_VALUE_BYTES.
 */
export function mutationItems(entry: CacheEntry, mutation: ExecutionMutation): { items: Item[]; positions: Map<string, number> } {
  const pk = executionPk(entry.record.executionId);
  const seq = mutation.seq;
  const positions = new Map(entry.positions);
  const latest = new Map<number, Operation>();
  for (const op of mutation.operations ?? []) {
    let position = positions.get(op.Id);
    if (position === undefined) {
      position = positions.size;
      positions.set(op.Id, position);
    }
    latest.set(position, op);
  }
  const items: Item[] = [];
  for (const [position, op] of latest) {
    const what = `operation "${op.Id}"${op.Name === undefined ? "" : ` (${op.Name})`}`;
    items.push(...valueItems(pk, operationSk(position), seq, encodeJson(op), what));
  }
  for (const event of mutation.events ?? []) {
    const what = `history event ${event.EventId} (${event.EventType}${event.Name === undefined ? "" : ` of "${event.Name}"`})`;
    items.push(...valueItems(pk, eventSk(event.EventId), seq, encodeJson(event), what));
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
  return { items, positions };
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
 * The record of execution `id` from its head and every item read after it. Throws when the items
 * are fewer than the head counts (a table damaged outside Cairn).
 */
export function recordOf(tableName: string, id: string, head: Head, items: Item[]): CacheEntry {
  const values = new ValueAssembler();
  for (const item of items) values.add(item);
  const opCount = Number(head.item[A.opCount]?.N ?? "0");
  const eventCount = Number(head.item[A.eventCount]?.N ?? "0");
  const operations: Operation[] = [];
  const events: HistoryEvent[] = [];
  for (const [sk, { text }] of values.values) {
    if (sk.startsWith("O#") && Number(sk.slice(2)) < opCount) operations.push(decodeJson<Operation>(text));
    else if (sk.startsWith("E#") && Number(sk.slice(2)) <= eventCount) events.push(decodeJson<HistoryEvent>(text));
  }
  if (operations.length !== opCount || events.length !== eventCount) {
    throw new Error(
      `Execution ${id} in table "${tableName}" is incomplete: the head lists ${opCount} operations and ` +
        `${eventCount} events, ${operations.length} and ${events.length} were found. Restore the table from a backup.`,
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
    operations,
    events,
  });
  record.seq = head.seq;
  const positions = new Map<string, number>();
  operations.forEach((op, i) => positions.set(op.Id, i));
  return { record, positions, resultJson: resultJsonOf(summary) };
}
