// The lease protocol: a worker owns an execution while its lease (leaseOwner, leaseUntil on the
// head item) is unexpired. Every step is one conditional write of the head, so two workers can
// never both hold a lease; a worker that dies stops renewing and its lease runs out. The lease only
// keeps workers from running the same execution twice at once: the checkpoint token, not the
// lease, fences what a worker that lost it might still send.
import { UpdateItemCommand, type AttributeValue, type UpdateItemCommandInput } from "@aws-sdk/client-dynamodb";
import type { ExecutionRecord } from "@cairn/sdk/service";
import { dueAtOf } from "./due-time.js";
import { internalsOf, type DynamoDbCheckpointStore } from "./dynamodb-store.js";
import { headOf, type Head } from "./head-item.js";
import { headKey, type Item } from "./item-layout.js";
import { isConditionFailure } from "./retry.js";
import { A, dueShardOf } from "./table.js";
import type { TableRequests } from "./table-requests.js";

export interface LeaseSettings {
  /** Written as leaseOwner. */
  workerId: string;
  /** How long a lease lasts without renewal (ms). */
  leaseMs: number;
  /** Partitions of the due index, for the due time written back on release. */
  shards: number;
  /** How often a held lease is extended (ms). */
  renewEveryMs: number;
}

export class Leases {
  constructor(
    private readonly requests: TableRequests,
    private readonly store: DynamoDbCheckpointStore,
    private readonly settings: LeaseSettings,
  ) {}

  /**
   * Takes the lease if it is free (or already ours) and the execution is still due; returns the
   * head as the claim left it (a serializable read: a cached record at its seq is current), or
   * undefined when the lease was not taken. From then on the store's commits carry the lease.
   */
  async claim(executionId: string, onLost: () => void): Promise<Head | undefined> {
    const now = Date.now();
    const head = await this.updateHeadIf("UpdateItem(claim)", executionId, {
      UpdateExpression: "SET #owner = :me, #lease = :until",
      ConditionExpression: "attribute_exists(#due) AND #due <= :now AND (attribute_not_exists(#lease) OR #lease < :now OR #owner = :me)",
      ExpressionAttributeNames: { "#owner": A.leaseOwner, "#lease": A.leaseUntil, "#due": A.dueAt },
      ExpressionAttributeValues: {
        ":me": { S: this.settings.workerId },
        ":until": { N: String(now + this.settings.leaseMs) },
        ":now": { N: String(now) },
      },
      ReturnValues: "ALL_NEW",
    });
    if (!head) return undefined;
    const { workerId: owner, leaseMs, renewEveryMs } = this.settings;
    internalsOf(this.store).holdLease(executionId, { owner, leaseMs, renewEveryMs, renewedAt: now }, onLost);
    return headOf(head);
  }

  /**
   * Instead of a claim of its own, lets the invocation's first commit take the lease: for a worker
   * that decided on its cached record (at `seq`) that an invocation is wanted, this saves a request
   * per invocation. That commit is conditioned as the claim is, and on `seq`; if it cannot take the
   * lease it throws ClaimConflict with nothing written, and the worker claims as usual.
   */
  claimOnFirstCommit(executionId: string, seq: number, onLost: () => void): void {
    const { workerId: owner, leaseMs, renewEveryMs } = this.settings;
    internalsOf(this.store).claimOnCommit(executionId, seq, { owner, leaseMs, renewEveryMs, renewedAt: Date.now() }, onLost);
  }

  /**
   * Extends our lease unless a commit carrying it did so within the renewal interval, or a commit
   * gave it up; false when it is no longer ours.
   */
  async renew(executionId: string): Promise<boolean> {
    const held = internalsOf(this.store).heldLease(executionId);
    if (held?.state === "lost") return false;
    // Released: nothing left to extend; claiming: nothing taken yet (the first commit takes it).
    if (held?.state === "released" || held?.state === "claiming") return true;
    const now = Date.now();
    if (held && now - held.renewedAt < held.renewEveryMs) return true;
    const renewed = await this.updateHeadIf("UpdateItem(renew lease)", executionId, {
      UpdateExpression: "SET #lease = :until",
      ConditionExpression: "#owner = :me",
      ExpressionAttributeNames: { "#owner": A.leaseOwner, "#lease": A.leaseUntil },
      ExpressionAttributeValues: {
        ":me": { S: this.settings.workerId },
        ":until": { N: String(now + this.settings.leaseMs) },
      },
    });
    if (held && renewed) held.renewedAt = now;
    return renewed !== undefined;
  }

  /**
   * Gives the lease up and puts the execution's due time back to what its record says (claims and
   * a running invocation move it). Conditioned on the record not having changed since it was read,
   * so it never overrides a due time a newer write computed.
   */
  async release(executionId: string): Promise<void> {
    const held = internalsOf(this.store).heldLease(executionId);
    internalsOf(this.store).dropLease(executionId);
    // The commit that ended the invocation gave the lease up already; or no commit ever took it.
    if (held?.state === "released" || held?.state === "lost" || held?.state === "claiming") return;
    const { workerId, leaseMs, shards } = this.settings;
    const dueOf = (record: ExecutionRecord) => ({
      seq: record.seq,
      // An invocation still recorded is over (we ran it): due for whoever comes next.
      due: record.summary.status === "RUNNING" && record.invocation ? Date.now() : dueAtOf(record, Date.now(), leaseMs),
    });
    for (let attempt = 0; attempt < 5; attempt++) {
      // The first attempt decides on this process's cached record without reading: the write is
      // conditioned on its seq, so a stale cache costs a failed condition, never a wrong due time.
      const state = (attempt === 0 ? this.store.peekCached(executionId, dueOf) : undefined) ?? (await this.store.read(executionId, dueOf));
      if (!state) return;
      const values: Record<string, AttributeValue> = { ":me": { S: workerId }, ":seq": { N: String(state.seq) } };
      let update = "REMOVE #owner, #lease";
      if (state.due === undefined) update += ", #due, #shard";
      else {
        update = `SET #due = :due, #shard = :shard ${update}`;
        values[":due"] = { N: String(state.due) };
        values[":shard"] = { S: dueShardOf(executionId, shards) };
      }
      const released = await this.updateHeadIf("UpdateItem(release lease)", executionId, {
        UpdateExpression: update,
        ConditionExpression: "#owner = :me AND #seq = :seq",
        ExpressionAttributeNames: {
          "#owner": A.leaseOwner,
          "#lease": A.leaseUntil,
          "#due": A.dueAt,
          "#shard": A.dueShard,
          "#seq": A.seq,
        },
        ExpressionAttributeValues: values,
      });
      if (released) return;
      // Either the lease is gone (nothing to do) or the record moved on: read it again.
      if (!(await this.renewNow(executionId))) return;
    }
  }

  /** Extends our lease now; false when it is no longer ours. */
  private async renewNow(executionId: string): Promise<boolean> {
    const renewed = await this.updateHeadIf("UpdateItem(renew lease)", executionId, {
      UpdateExpression: "SET #lease = :until",
      ConditionExpression: "#owner = :me",
      ExpressionAttributeNames: { "#owner": A.leaseOwner, "#lease": A.leaseUntil },
      ExpressionAttributeValues: { ":me": { S: this.settings.workerId }, ":until": { N: String(Date.now() + this.settings.leaseMs) } },
    });
    return renewed !== undefined;
  }

  /**
   * A conditional write of the execution's head item: the attributes it returned (none unless
   * asked for), or undefined when its condition does not hold.
   */
  private async updateHeadIf(
    operation: string,
    executionId: string,
    update: Omit<UpdateItemCommandInput, "TableName" | "Key">,
  ): Promise<Item | undefined> {
    const { client, tableName } = this.requests.table;
    try {
      const out = await this.requests.send(operation, () =>
        client.send(new UpdateItemCommand({ TableName: tableName, Key: headKey(executionId), ...update })),
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}
