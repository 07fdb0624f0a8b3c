// Making one decision of the core durable. Every mutation is committed by one conditional write of
// the execution's head item (`seq = <seq the decision was made on>`, no intent pending), in the
// same transaction as the items it changes: two writers deciding on the same seq can never both
// commit. A mutation too big for one transaction (100 items / 4 MB) is staged first under keys
// nothing reads, then committed by the head write alone, which records an intent that
// roll-forward.ts applies.
import { UpdateItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { applyMutation, type ExecutionMutation } from "@cairn/sdk/service";
import { randomUUID } from "node:crypto";
import { OPTIONAL_HEAD_ATTRIBUTES, headAttributes, type DueTimeSettings, type Intent } from "./head-item.js";
import { headKey, stagePrefix, type Item } from "./item-layout.js";
import type { CacheEntry, RecordCache } from "./record-cache.js";
import { mutationItems, resultJsonOf } from "./record-items.js";
import { isConditionFailure } from "./retry.js";
import { rollForward } from "./roll-forward.js";
import { A } from "./table.js";
import { fitsOneTransaction, type TableRequests } from "./table-requests.js";

/** "conflict": another writer committed since the record was read; nothing of this one was. */
export type CommitOutcome = "committed" | "conflict";

export class MutationCommitter {
  constructor(
    private readonly requests: TableRequests,
    private readonly cache: RecordCache,
    private readonly due: DueTimeSettings,
  ) {}

  /**
   * Commits `mutation`, decided on `entry.record`, if nobody committed since. On success the cache
   * holds the new record; on a conflict (or any error) the entry is dropped.
   */
  async commit(entry: CacheEntry, mutation: ExecutionMutation): Promise<CommitOutcome> {
    const id = entry.record.executionId;
    const previousSeq = entry.record.seq;
    // Built before the record changes: a value too large throws here with nothing written.
    const { items, positions } = mutationItems(entry, mutation);
    this.cache.delete(id);
    applyMutation(entry.record, mutation);
    entry.positions = positions;
    if (mutation.summary) entry.resultJson = resultJsonOf(mutation.summary) ?? entry.resultJson;

    if (fitsOneTransaction(items, 1)) {
      try {
        await this.requests.transact("TransactWriteItems(checkpoint)", [
          { Update: this.headUpdate(entry, previousSeq) },
          ...items.map((Item) => ({ Put: { TableName: this.requests.tableName, Item } })),
        ]);
      } catch (error) {
        if (isConditionFailure(error)) return "conflict";
        throw error;
      }
      this.cache.remember(id, entry);
      return "committed";
    }

    // Too big for one transaction: stage, commit with an intent, roll forward.
    const intent: Intent = { seq: mutation.seq, nonce: randomUUID() };
    const prefix = stagePrefix(intent.seq, intent.nonce);
    const staged = items.map((item) => ({ ...item, [A.sk]: { S: prefix + item[A.sk]!.S! } }));
    await this.requests.putItems(staged);
    const update = this.headUpdate(entry, previousSeq, {
      [A.intent]: { M: { seq: { N: String(intent.seq) }, nonce: { S: intent.nonce } } },
    });
    try {
      await this.requests.send("UpdateItem(commit)", () => this.requests.table.client.send(new UpdateItemCommand(update)));
    } catch (error) {
      if (isConditionFailure(error)) {
        await this.requests.deleteItems(staged).catch(() => undefined);
        return "conflict";
      }
      throw error;
    }
    // Committed. Whoever touches the execution next would finish this; normally it is us, now.
    await rollForward(this.requests, id, intent, staged);
    this.cache.remember(id, entry);
    return "committed";
  }

  /**
   * The head write that commits a mutation: SET every head attribute the record has, REMOVE the
   * optional ones it has not (leases untouched), if the head is still at `previousSeq` with no
   * intent pending.
   */
  private headUpdate(entry: CacheEntry, previousSeq: number, extra: Item = {}) {
    const attrs = { ...headAttributes(entry, this.due), ...extra };
    const names: Record<string, string> = { "#seq": A.seq, "#intent": A.intent };
    const values: Record<string, AttributeValue> = { ":prev": { N: String(previousSeq) } };
    const sets: string[] = [];
    let i = 0;
    for (const [name, value] of Object.entries(attrs)) {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
      i++;
    }
    const removes: string[] = [];
    for (const name of OPTIONAL_HEAD_ATTRIBUTES) {
      if (name in attrs) continue;
      names[`#a${i}`] = name;
      removes.push(`#a${i}`);
      i++;
    }
    return {
      TableName: this.requests.tableName,
      Key: headKey(entry.record.executionId),
      UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
      ConditionExpression: "#seq = :prev AND attribute_not_exists(#intent)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }
}
