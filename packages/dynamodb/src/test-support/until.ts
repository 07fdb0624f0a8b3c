// Polls for a state that workers reach in their own time (real DynamoDB Local, real timers).
import { setTimeout as sleep } from "node:timers/promises";

/** Resolves with `probe`'s first defined value; throws naming `what` once `timeoutMs` has passed. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
