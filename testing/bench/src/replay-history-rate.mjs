// Histories replayed per second by @cairn/testing's replayHistory: one execution of 50 operations
// (steps alternating with waits) is recorded with time skipped, then replayed again and again in
// this process against the same handler. Prints the median of five rounds of about a second each.
//
//   node src/replay-history-rate.mjs [--ops 50] [--rounds 5]
import { withDurableExecution } from "@cairn/sdk";
import { CheckpointService, MemoryExecutionStore } from "@cairn/sdk/service";
import { VirtualClock, runExecution } from "@cairn/sdk/orchestrator";
import { replayHistory } from "@cairn/testing";

const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const ops = flag("ops", 50);
const rounds = flag("rounds", 5);

const handler = withDurableExecution(async (event, ctx) => {
  let total = 0;
  for (let i = 0; i < ops; i++) {
    if (i % 2 === 0) total += await ctx.step(`add-${i}`, async () => i);
    else await ctx.wait(`pause-${i}`, { seconds: 1 });
  }
  return total;
});

const clock = new VirtualClock();
const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
const { execution } = await runExecution({ service, clock, handler, target: { start: { input: "{}" } } });
const history = await service.getHistory(execution.executionArn);

const first = await replayHistory({ handler, history });
if (!first.ok || first.replayedOperations !== ops) {
  console.error("the recorded history does not replay:", JSON.stringify(first));
  process.exit(1);
}

const rates = [];
for (let round = 0; round < rounds; round++) {
  const start = performance.now();
  let done = 0;
  while (performance.now() - start < 1000) {
    await replayHistory({ handler, history });
    done++;
  }
  rates.push((done * 1000) / (performance.now() - start));
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)];
console.log(
  `replayHistory: ${median.toFixed(0)} histories/s (median of ${rounds} rounds; ${ops} operations, ${history.length} events each; ` +
    `rounds ${rates.map((r) => r.toFixed(0)).join(", ")})`,
);
