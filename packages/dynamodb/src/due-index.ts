// Where workers find work: the sparse due index holds every execution that needs an invocation
// at some time (dueAt), spread over a few shards so that many executions changing their due time
// do not all write one partition. A worker reads every shard for what is due now and not leased.
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { A, DUE_INDEX } from "./table.js";
import type { TableRequests } from "./table-requests.js";

/** An execution the due index says is due and unleased; the claim re-checks both. */
export interface DueCandidate {
  executionId: string;
  executionArn: string;
  /** The handler name it was started with. */
  functionName: string | undefined;
}

export class DueIndex {
  constructor(
    private readonly requests: TableRequests,
    private readonly shards: number,
  ) {}

  /**
   * Due executions whose lease is free, from every shard of the due index. The shards are queried
   * at once (a poll costs one round trip, not one per shard); the candidates are shuffled so that
   * workers polling at the same moment try different executions instead of racing for one.
   */
  async find(limit: number): Promise<DueCandidate[]> {
    const now = Date.now();
    const found = (await Promise.all(Array.from({ length: this.shards }, (_, i) => this.queryShard(`DUE#${i}`, now, limit)))).flat();
    for (let i = found.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [found[i], found[j]] = [found[j]!, found[i]!];
    }
    return found.slice(0, limit);
  }

  private async queryShard(shard: string, now: number, limit: number): Promise<DueCandidate[]> {
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
          Limit: Math.max(limit * 2, 10),
        }),
      ),
    );
    const found: DueCandidate[] = [];
    for (const item of page.Items ?? []) {
      const pk = item[A.pk]?.S ?? "";
      const arn = item[A.executionArn]?.S;
      if (!pk.startsWith("X#") || !arn) continue;
      found.push({ executionId: pk.slice(2), executionArn: arn, functionName: item[A.functionName]?.S });
    }
    return found;
  }
}
