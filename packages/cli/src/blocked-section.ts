// How the CLI shows an execution blocked by a replay mismatch: where it diverged, since when,
// and the two ways out (fixed code, or giving up on it).
import type { ExecutionSummary, NondeterminismPolicy } from "@cairn/sdk/service";
import type { Colors } from "./output.js";
import { shortIdOf, storeFlag } from "./store.js";
import { UsageError } from "./usage-error.js";

/** The STATUS column of `cairn list`: `RUNNING (blocked)` for a blocked execution. */
export function statusLabel(summary: ExecutionSummary): string {
  return summary.blocked ? `${summary.status} (blocked)` : summary.status;
}

/** The lines `inspect` (and the end of `run`/`resume`) print for a blocked execution; none otherwise. */
export function renderBlocked(summary: ExecutionSummary, directory: string | undefined, color: Colors): string[] {
  const { blocked } = summary;
  if (!blocked) return [];
  const id = shortIdOf(summary);
  const store = directory === undefined ? "" : storeFlag(directory);
  const attempts = `${blocked.attempts} attempt${blocked.attempts === 1 ? "" : "s"}`;
  return [
    `${color.yellow("blocked")} replay diverged at operation ${color.bold(blocked.operationId)} ` +
      color.dim(`— ${attempts} since ${blocked.since.toISOString()}, next retry due ${blocked.retryAt.toISOString()}`),
    `  ${blocked.message}`,
    `  The execution stays RUNNING. Deploy fixed (or reverted) handler code, then: cairn resume ${id}${store}`,
    `  or give up on it: cairn fail ${id}${store}`,
  ];
}

/** Reads `--on-nondeterminism` (default `block`), naming the flag when the value is wrong. */
export function nondeterminismPolicyOf(value: string | undefined, command: string): NondeterminismPolicy {
  if (value === undefined || value === "block") return "block";
  if (value === "fail") return "fail";
  throw new UsageError(
    `--on-nondeterminism must be "block" (keep the execution RUNNING, blocked, when replay diverges) or "fail" ` +
      `(fail it, as on AWS Lambda); got ${JSON.stringify(value)}.`,
    command,
  );
}
