// Where workers find work: the sparse due index holds every execution that needs an invocation
// at some time (dueAt), spread over `dueShards` partitions so that many executions changing their
// due time do not all write one. A worker reads every shard for what is due now and not leased.
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { A, DUE_INDEX, dueShardKey } from "./table.js";
import type { TableRequests } from "./table-requests.js";

/** An execution the due index says is due and unleased; the claim re-checks both. */
export interface DueCandidate {
  executionId: string;
  executionArn: string;
  /** The handler name it was started with. */
  functionName: string | undefined;
  /**
   * Only its create has written it (never invoked), as the index saw it: a hint that the worker
   * may read it with one Query (record-loader.ts loadFresh), which checks it.
   */
  fresh: boolean;
}

/** What one look at the due index found. */
export interface DueLook {
  candidates: DueCandidate[];
  /** Every shard was read to its end: nothing else was due at the time of the look. */
  complete: boolean;
}

export class DueIndex {
  constructor(
    private readonly requests: TableRequests,
    private readonly shards: number,
  ) {}

  /**
   * Due executions whose lease is free, from every shard of the due index: one Query per shard,
   * all at once (a poll costs one round trip whatever the shard count). Each shard contributes
   * its share of `limit` and the shards are interleaved from a random one on, every shard's own
   * candidates shuffled: a backlog in one shard cannot starve the others, and workers polling at
   * the same moment try different executions instead of racing for one.
   */
  async find(limit: number): Promise<DueLook> {
    const now = Date.now();
    const perShard = Math.max(Math.ceil((limit * 2) / this.shards), 10);
    const looks = await Promise.all(Array.from({ length: this.shards }, (_, i) => this.queryShard(dueShardKey(i), now, perShard)));
    const lists = looks.map((look) => shuffle(look.found));
    const first = Math.floor(Math.random() * this.shards);
    const candidates: DueCandidate[] = [];
    for (let round = 0; candidates.length < limit && lists.some((list) => round < list.length); round++) {
      for (let k = 0; k < this.shards && candidates.length < limit; k++) {
        const candidate = lists[(first + k) % this.shards]![round];
        if (candidate) candidates.push(candidate);
      }
    }
    const taken = candidates.length;
    const total = lists.reduce((sum, list) => sum + list.length, 0);
    return { candidates, complete: taken === total && looks.every((look) => look.complete) };
  }

  private async queryShard(shard: string, now: number, limit: number): Promise<{ found: DueCandidate[]; complete: boolean }> {
    const { client, tableName } = this.requests.table;
    const page = await this.requests.send("Query(due-index)", () =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: "#shard = :shard AND #due <= :now",
          FilterExpression: "attribute_not_exists(#lease) OR #lease < :now",
          ExpressionAttributeNames: { "#shard": A.dueShard, "#due": A.dueAt, "#lease": A.leaseUntil },
          ExpressionAttributeValues: { ":shard": { S: shard }, ":now": { N: String(now) } },
          Limit: limit,
        }),
      ),
    );
    const found: DueCandidate[] = [];
    for (const item of page.Items ?? []) {
      const pk = item[A.pk]?.S ?? "";
      const arn = item[A.executionArn]?.S;
      if (!pk.startsWith("X#") || !arn) continue;
      found.push({ executionId: pk.slice(2), executionArn: arn, functionName: item[A.functionName]?.S, fresh: item[A.fresh]?.BOOL === true });
    }
    return { found, complete: page.LastEvaluatedKey === undefined };
  }
}

function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}
