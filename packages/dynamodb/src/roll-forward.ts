// The second half of a commit too big for one transaction: its items were staged under keys
// nothing reads and the head write recorded an intent; rolling forward copies them into place and
// clears the intent. Whoever next touches the execution does it (the committer itself, normally),
// so readers never see a half-applied mutation.
import { ConditionalCheckFailedException, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { mapAtMost } from "@cairn/sdk/backend";
import type { Intent } from "./head-item.js";
import { executionPk, headKey, stagePrefix, type Item } from "./item-layout.js";
import { isConditionFailure } from "./retry.js";
import { A } from "./table.js";
import { fitsOneTransaction, type TableRequests } from "./table-requests.js";

const ROLL_FORWARD_CONCURRENCY = 4;

/**
 * Copies a committed intent's staged items into place and clears the intent. Safe to run by
 * several processes at once and to repeat: every copy is a put conditioned on the target not
 * being newer than the intent, so a late copy never overwrites a later mutation. `known` are the
 * staged items when the caller has them (it staged them), else they are queried.
 */
export async function rollForward(requests: TableRequests, id: string, intent: Intent, known?: Item[]): Promise<void> {
  const { client, tableName } = requests.table;
  const prefix = stagePrefix(intent.seq, intent.nonce);
  const staged =
    known ??
    (await requests.query({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :t)",
      ExpressionAttributeValues: { ":pk": { S: executionPk(id) }, ":t": { S: prefix } },
      ConsistentRead: true,
    }));
  const targets = staged.map((item) => ({ ...item, [A.sk]: { S: item[A.sk]!.S!.slice(prefix.length) } }));
  const putIfNotNewer = (Item: Item) => ({
    TableName: tableName,
    Item,
    ConditionExpression: "attribute_not_exists(#seq) OR #seq <= :s",
    ExpressionAttributeNames: { "#seq": A.seq },
    ExpressionAttributeValues: { ":s": { N: String(intent.seq) } },
  });
  // A hundred at a time in a transaction; a chunk with a target already overwritten by a later
  // mutation (another process rolled forward first and moved on) is copied item by item.
  const chunks: Item[][] = [];
  for (const item of targets) {
    const last = chunks.at(-1);
    if (last && fitsOneTransaction([...last, item], 0)) last.push(item);
    else chunks.push([item]);
  }
  await mapAtMost(chunks, ROLL_FORWARD_CONCURRENCY, async (chunk) => {
    try {
      await requests.transact("TransactWriteItems(roll-forward)", chunk.map((item) => ({ Put: putIfNotNewer(item) })));
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    for (const item of chunk) {
      try {
        await requests.send("PutItem(roll-forward)", () => client.send(new PutItemCommand(putIfNotNewer(item))));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  });
  try {
    await requests.send("UpdateItem(clear intent)", () =>
      client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: headKey(id),
          UpdateExpression: "REMOVE #intent",
          ConditionExpression: "#intent.nonce = :n",
          ExpressionAttributeNames: { "#intent": A.intent },
          ExpressionAttributeValues: { ":n": { S: intent.nonce } },
        }),
      ),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  await requests.deleteItems(staged);
}
