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
import { LOG_PREFIX, headKey, stagePrefix, type Item } from "./item-layout.js";
import type { CacheEntry, RecordCache } from "./record-cache.js";
import { mutationItems, resultJsonOf } from "./record-items.js";
import { isConditionFailure } from "./retry.js";
import { rollForward } from "./roll-forward.js";
import { A } from "./table.js";
import { fitsOneTransaction, type TableRequests } from "./table-requests.js";

/** "conflict": another writer committed since the record was read (or the lease moved); nothing of this one was. */
export type CommitOutcome = "committed" | "conflict";

/**
 * A lease this process holds on an execution (a worker running it). Its commits carry the lease:
 * they extend it once `renewEveryMs` has passed since it was last extended, and the commit that
 * ends the invocation gives it up, so a worker that checkpoints needs no lease writes of its own.
 * A lease may also be taken by the invocation's first commit instead of a claim of its own
 * ("claiming", see ClaimConflict).
 */
export interface HeldLease {
  /** The leaseOwner written by the claim. */
  owner: string;
  leaseMs: number;
  renewEveryMs: number;
  /** When the lease was last extended (epoch ms): the claim, a renewal or a commit carrying it. */
  renewedAt: number;
  /**
   * "claiming": not taken yet; the next commit takes it, if it is decided on the cached record at
   * `claimSeq`. "released": a commit gave it up; "lost": the head names another owner.
   */
  state: "claiming" | "held" | "released" | "lost";
  /** While claiming: the seq of the cached record the worker decided to invoke on. */
  claimSeq?: number | undefined;
  /**
   * While claiming: mutations applied to the cached record but left for the claiming commit to
   * write (the timers the invocation fires before it begins): their items, and the record's seq
   * after them.
   */
  deferred?: { items: Item[]; seq: number } | undefined;
}

/**
 * A commit meant to take the lease (a "claiming" lease) could not: the record moved on since the
 * worker decided on its cached copy, or the execution is no longer due or is leased by another
 * worker. Nothing was written and the cached record is dropped; the worker falls back to a claim
 * of its own, which reads what the head now says.
 */
export class ClaimConflict extends Error {
  override readonly name = "ClaimConflict";
  constructor(executionId: string) {
    super(`the first commit of an invocation of ${executionId} could not take the lease`);
  }
}

/** What a commit does to the lease besides its condition on the owner. */
type LeaseAction =
  | { kind: "claim"; until: number; owner: string }
  | { kind: "renew"; until: number; owner: string }
  | { kind: "release"; owner: string }
  | undefined;

export class MutationCommitter {
  constructor(
    private readonly requests: TableRequests,
    private readonly cache: RecordCache,
    private readonly due: DueTimeSettings,
  ) {}

  /**
   * Applies `mutation` to the cached record of a claiming lease without writing it: the claiming
   * commit writes it too, in the same transaction. False (nothing done) for a mutation that writes
   * more than its log entry (an outcome or a result, which a later mutation could write again).
   */
  defer(entry: CacheEntry, mutation: ExecutionMutation, lease: HeldLease): boolean {
    const items = mutationItems(entry, mutation);
    if (mutation.summary || items.some((item) => !item[A.sk]?.S?.startsWith(LOG_PREFIX))) return false;
    applyMutation(entry.record, mutation);
    lease.deferred = { items: [...(lease.deferred?.items ?? []), ...items], seq: entry.record.seq };
    return true;
  }

  /**
   * Commits `mutation`, decided on `entry.record`, if nobody committed since (and, when it carries
   * `lease`, the lease is still this process's). On success the cache holds the new record; on a
   * conflict (or any error) the entry is dropped. A claiming lease's commit also writes what was
   * deferred, conditioned on the seq before it.
   */
  async commit(entry: CacheEntry, mutation: ExecutionMutation, lease?: HeldLease): Promise<CommitOutcome> {
    const id = entry.record.executionId;
    const deferred = lease?.state === "claiming" ? lease.deferred : undefined;
    const previousSeq = deferred ? lease!.claimSeq! : entry.record.seq;
    const wasInvoked = entry.record.invocation !== undefined;
    // Built before the record changes: a value too large throws here with nothing written.
    const items = [...(deferred?.items ?? []), ...mutationItems(entry, mutation)];
    this.cache.delete(id);
    applyMutation(entry.record, mutation);
    if (mutation.summary) entry.resultJson = resultJsonOf(mutation.summary) ?? entry.resultJson;

    const now = Date.now();
    let action: LeaseAction;
    // Taking the lease with the invocation's first write (fire its timers, or begin it) saves the
    // claim's own request; the condition is the claim's, on top of the seq the decision was made on.
    if (lease?.state === "claiming") action = { kind: "claim", until: now + lease.leaseMs, owner: lease.owner };
    else if (lease?.state === "held") {
      // The commit that ends the invocation hands the execution back: no separate release.
      if (wasInvoked && entry.record.invocation === undefined) action = { kind: "release", owner: lease.owner };
      else if (now - lease.renewedAt >= lease.renewEveryMs) action = { kind: "renew", until: now + lease.leaseMs, owner: lease.owner };
    }
    const head = this.headUpdate(entry, previousSeq, now, action);

    if (fitsOneTransaction(items, 1)) {
      try {
        if (items.length === 0) {
          // Only the head changes (e.g. an invocation begins): one conditional write.
          await this.requests.send("UpdateItem(checkpoint)", () => this.requests.table.client.send(new UpdateItemCommand(head.update)));
        } else {
          await this.requests.transact("TransactWriteItems(checkpoint)", [
            { Update: head.update },
            ...items.map((Item) => ({ Put: { TableName: this.requests.tableName, Item } })),
          ]);
        }
      } catch (error) {
        if (isConditionFailure(error)) return "conflict";
        this.mayHaveClaimed(lease, action);
        throw error;
      }
      this.committed(id, entry, head.dueAt, lease, action, now);
      return "committed";
    }

    // Too big for one transaction: stage, commit with an intent, roll forward.
    const intent: Intent = { seq: mutation.seq, nonce: randomUUID() };
    const prefix = stagePrefix(intent.seq, intent.nonce);
    const staged = items.map((item) => ({ ...item, [A.sk]: { S: prefix + item[A.sk]!.S! } }));
    await this.requests.putItems(staged);
    const update = this.headUpdate(entry, previousSeq, now, action, {
      [A.intent]: { M: { seq: { N: String(intent.seq) }, nonce: { S: intent.nonce } } },
    }).update;
    try {
      await this.requests.send("UpdateItem(commit)", () => this.requests.table.client.send(new UpdateItemCommand(update)));
    } catch (error) {
      if (isConditionFailure(error)) {
        await this.requests.deleteItems(staged).catch(() => undefined);
        return "conflict";
      }
      this.mayHaveClaimed(lease, action);
      throw error;
    }
    // Committed. Whoever touches the execution next would finish this; normally it is us, now.
    if (lease && action?.kind === "claim") lease.state = "held";
    await rollForward(this.requests, id, intent, staged);
    this.committed(id, entry, head.dueAt, lease, action, now);
    return "committed";
  }

  /**
   * A claiming write failed without an answer (retries exhausted): it may have landed. Held, the
   * lease gets the worker's usual release, which is conditioned on the owner and so does nothing
   * if the write did not land; left "claiming", a landed claim would keep the execution until the
   * lease ran out.
   */
  private mayHaveClaimed(lease: HeldLease | undefined, action: LeaseAction): void {
    if (lease && action?.kind === "claim") lease.state = "held";
  }

  private committed(id: string, entry: CacheEntry, dueAt: number | "kept" | undefined, lease: HeldLease | undefined, action: LeaseAction, now: number): void {
    if (dueAt !== "kept") entry.dueAt = dueAt;
    if (lease && (action?.kind === "renew" || action?.kind === "claim")) lease.renewedAt = now;
    if (lease && action?.kind === "claim") {
      lease.state = "held";
      lease.deferred = undefined;
    }
    if (lease && action?.kind === "release") lease.state = "released";
    this.cache.remember(id, entry);
  }

  /**
   * The head write that commits a mutation: SET every head attribute the record has, REMOVE the
   * optional ones it has not (leases untouched unless `action` says), if the head is still at
   * `previousSeq` with no intent pending (and, with a lease action, the lease is still ours, or for
   * a claim, free to take).
   */
  private headUpdate(entry: CacheEntry, previousSeq: number, now: number, action: LeaseAction, extra: Item = {}) {
    const { attrs: recordAttrs, keep } = headAttributes(entry, this.due, now);
    const attrs = { ...recordAttrs, ...extra };
    const names: Record<string, string> = { "#seq": A.seq, "#intent": A.intent };
    const values: Record<string, AttributeValue> = { ":prev": { N: String(previousSeq) } };
    let condition = "#seq = :prev AND attribute_not_exists(#intent)";
    const sets: string[] = [];
    const removes: string[] = [];
    if (action) {
      names["#owner"] = A.leaseOwner;
      names["#lease"] = A.leaseUntil;
      values[":me"] = { S: action.owner };
      if (action.kind === "claim") {
        // As Leases.claim: still due, and the lease free (or already ours).
        names["#due"] = A.dueAt;
        values[":now"] = { N: String(now) };
        values[":until"] = { N: String(action.until) };
        condition += " AND attribute_exists(#due) AND #due <= :now AND (attribute_not_exists(#lease) OR #lease < :now OR #owner = :me)";
        sets.push("#owner = :me", "#lease = :until");
      } else condition += " AND #owner = :me";
      if (action.kind === "renew") {
        values[":until"] = { N: String(action.until) };
        sets.push("#lease = :until");
      } else if (action.kind === "release") {
        removes.push("#owner", "#lease");
      }
    }
    let i = 0;
    for (const [name, value] of Object.entries(attrs)) {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
      i++;
    }
    for (const name of OPTIONAL_HEAD_ATTRIBUTES) {
      if (name in attrs || keep.includes(name)) continue;
      names[`#a${i}`] = name;
      removes.push(`#a${i}`);
      i++;
    }
    const dueAt: number | "kept" | undefined = keep.includes(A.dueAt) ? "kept" : attrs[A.dueAt] ? Number(attrs[A.dueAt]!.N) : undefined;
    return {
      dueAt,
      update: {
        TableName: this.requests.tableName,
        Key: headKey(entry.record.executionId),
        UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }
}
