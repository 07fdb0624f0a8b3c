// A workflow whose every step leaves a line in a ledger file outside the worker, so a test can
// tell which step bodies ran, how often, and whether a stored result was ever produced twice.
import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { withDurableExecution } from "@cairn/sdk";

export interface LedgerInput {
  name: string;
  steps: number;
  stepMs?: number;
  waitSeconds?: number;
}

export function ledgerHandler(ledgerFile: string) {
  return withDurableExecution(async (input: LedgerInput, ctx) => {
    const results: string[] = [];
    for (let i = 0; i < input.steps; i++) {
      results.push(
        await ctx.step(`step-${i}`, async () => {
          if (input.stepMs) await sleep(input.stepMs);
          const nonce = randomUUID();
          appendFileSync(ledgerFile, `${input.name} ${i} ${nonce}\n`);
          return nonce;
        }),
      );
      if (input.waitSeconds && i === Math.floor(input.steps / 2)) await ctx.wait("pause", { seconds: input.waitSeconds });
    }
    return results;
  });
}

/** name -> step -> nonces in the order the step bodies ran. */
export function readLedger(text: string): Map<string, Map<number, string[]>> {
  const ledger = new Map<string, Map<number, string[]>>();
  for (const line of text.split("\n")) {
    if (!line) continue;
    const [name, step, nonce] = line.split(" ") as [string, string, string];
    const steps = ledger.get(name) ?? new Map<number, string[]>();
    ledger.set(name, steps);
    const runs = steps.get(Number(step)) ?? [];
    steps.set(Number(step), runs);
    runs.push(nonce);
  }
  return ledger;
}
