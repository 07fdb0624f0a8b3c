// A step whose result is random, then a 4-second wait: interrupt during the wait and resume, and
// the result must carry the same token (the step was not run again). Every step body appends a
// line to $CAIRN_FIXTURE_LOG so tests can count side effects.
import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { withDurableExecution } from "@cairn/sdk";

function sideEffect(what) {
  if (process.env.CAIRN_FIXTURE_LOG) appendFileSync(process.env.CAIRN_FIXTURE_LOG, `${what}\n`);
}

export const handler = withDurableExecution(async (_event, ctx) => {
  const token = await ctx.step("issue-token", async () => {
    sideEffect("issue-token");
    return randomUUID();
  });
  await ctx.wait("cool-down", { seconds: 4 });
  const done = await ctx.step("finish", async () => {
    sideEffect("finish");
    return "finished";
  });
  return { token, done };
});
