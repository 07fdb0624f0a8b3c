// A map long enough that the file store lets go of settled operations while it runs (over 4 096
// operations), each item's step appending "item <i>" to $CAIRN_FIXTURE_LOG; with $CAIRN_FIXTURE_HANG
// set, item 0's step waits to be killed once the log holds that many items.
import { appendFileSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { withDurableExecution } from "@cairn/sdk";

const log = process.env.CAIRN_FIXTURE_LOG;
const hangAfter = Number(process.env.CAIRN_FIXTURE_HANG ?? "0");

const logged = () => (log ? readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0);

export default withDurableExecution(async (event, ctx) => {
  const items = Array.from({ length: event.items }, (_, i) => i);
  const batch = await ctx.map(
    "items",
    items,
    (itemCtx, item) =>
      itemCtx.step(`item-${item}`, async () => {
        if (log) appendFileSync(log, `item ${item}\n`);
        // The last item waits (so the kill lands mid-map) until the first run is killed.
        if (hangAfter > 0 && item === items.length - 1 && logged() <= hangAfter) await sleep(60_000);
        return item * 2;
      }),
    { maxConcurrency: 20 },
  );
  return { succeeded: batch.successCount, sum: batch.getResults().reduce((a, b) => a + b, 0) };
});
