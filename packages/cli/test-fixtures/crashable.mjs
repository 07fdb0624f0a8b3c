// The second step hangs on its first attempt, so a test can kill -9 the process mid-body; on
// the resumed run it completes. Side effects are appended to $CAIRN_FIXTURE_LOG.
import { appendFileSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { withDurableExecution } from "@cairn/sdk";

const log = process.env.CAIRN_FIXTURE_LOG;

function sideEffect(what) {
  if (log) appendFileSync(log, `${what}\n`);
}

function count(what) {
  try {
    return readFileSync(log, "utf8").split("\n").filter((line) => line === what).length;
  } catch {
    return 0;
  }
}

export default withDurableExecution(async (event, ctx) => {
  const charged = await ctx.step("charge-card", async () => {
    sideEffect("charge-card");
    return { amount: event.amount };
  });
  const shipped = await ctx.step("ship", async () => {
    sideEffect("ship-start");
    if (count("ship-start") === 1) {
      // First attempt: wait to be killed.
      await sleep(60_000);
    }
    sideEffect("ship-done");
    return "shipped";
  });
  return { charged, shipped };
});
