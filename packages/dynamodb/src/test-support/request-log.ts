// What a worker sends to an execution's items, in order, told apart by the requests' expressions:
// for tests that count an invocation's requests and stop one in flight to race it.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { setTimeout as sleep } from "node:timers/promises";
import type { CairnClient } from "../client.js";
import type { Worker } from "../worker.js";

interface UpdateInput {
  Key?: Record<string, { S?: string }>;
  UpdateExpression?: string;
  ConditionExpression?: string;
}

/** What a request to an execution's items does, told from its expressions. */
export type Kind = "claim" | "release" | "renew" | "load" | "read head" | "commit" | "commit+claim" | "commit+release";

function headWriteKind(update: UpdateInput): Kind {
  const expression = update.UpdateExpression ?? "";
  if (/#due <= :now/.test(update.ConditionExpression ?? "") && /#owner = :me/.test(expression)) {
    return expression.startsWith("SET #owner = :me, #lease = :until") && !expression.includes("#a0") ? "claim" : "commit+claim";
  }
  if (/REMOVE #owner, #lease/.test(expression)) return update.ConditionExpression === "#owner = :me AND #seq = :seq" ? "release" : "commit+release";
  if (expression === "SET #lease = :until") return "renew";
  return "commit";
}

export interface Sent {
  kind: Kind;
  command: string;
  /** Items written besides the head (transactions). */
  others: number;
}

/**
 * Records every request `client` sends to the items of executions (due-index polls and the
 * table settings left out), in order. `before` runs ahead of a request, once per request.
 */
export function recordRequests(client: DynamoDBClient, before?: (sent: Sent, input: unknown) => Promise<void>): Sent[] {
  const sent: Sent[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? "").replace(/Command$/, "");
      const input = args.input as UpdateInput & {
        TransactItems?: { Update?: UpdateInput }[];
        IndexName?: string;
        ExpressionAttributeValues?: Record<string, { S?: string }>;
      };
      let entry: Sent | undefined;
      if (command === "UpdateItem" && input.Key?.pk?.S?.startsWith("X#")) entry = { kind: headWriteKind(input), command, others: 0 };
      else if (command === "TransactWriteItems" && input.TransactItems?.[0]?.Update?.Key?.pk?.S?.startsWith("X#")) {
        entry = { kind: headWriteKind(input.TransactItems[0].Update), command, others: input.TransactItems.length - 1 };
      } else if (command === "Query" && !input.IndexName && input.ExpressionAttributeValues?.[":pk"]?.S?.startsWith("X#")) {
        entry = { kind: "load", command, others: 0 };
      } else if (command === "GetItem" && input.Key?.pk?.S?.startsWith("X#")) entry = { kind: "read head", command, others: 0 };
      if (entry) {
        await before?.(entry, args.input);
        sent.push(entry);
      }
      return next(args);
    },
    { step: "initialize", name: "recordRequests" },
  );
  return sent;
}

/** runOnce until the execution has ended, pausing between passes that found nothing due. */
export async function runToEnd(worker: Worker, client: CairnClient, executionArn: string) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const summary = await client.getExecution(executionArn);
    if (summary.status !== "RUNNING") return summary;
    if ((await worker.runOnce()).handled === 0) await sleep(50);
  }
  throw new Error(`${executionArn} did not end`);
}
