import { onFirstUse, type DurablePromise } from "../types/durable-promise.js";

interface Started {
  readonly kind: string;
  readonly name: string | undefined;
}

/**
 * The handler's own operations that are still running and that nothing has awaited. A handler
 * that returns while one is left most likely forgot an `await`: what happens to the operation then
 * depends on the platform (see compatibility.md), so the handler is told which ones they were.
 */
export class UnawaitedOperations {
  readonly #running = new Set<Started>();

  /** Follows one operation until it is awaited (or chained, or given to a combinator) or settles. */
  track(kind: string, nameArgument: unknown, durable: DurablePromise<unknown>, settles: Promise<unknown>): void {
    const started: Started = { kind, name: typeof nameArgument === "string" ? nameArgument : undefined };
    this.#running.add(started);
    const forget = (): void => {
      this.#running.delete(started);
    };
    onFirstUse(durable, forget);
    settles.then(forget, forget);
  }

  /** The warning to log when the handler returns now, or undefined when nothing was left behind. */
  warning(): string | undefined {
    if (this.#running.size === 0) return undefined;
    const names = [...this.#running].map(({ kind, name }) => (name === undefined ? `${kind} (unnamed)` : `${kind} ${JSON.stringify(name)}`));
    const count = names.length === 1 ? "1 durable operation" : `${names.length} durable operations`;
    return (
      `The handler returned while ${count} it started ${names.length === 1 ? "was" : "were"} still running and never awaited: ` +
      `${names.join(", ")}. Await each one (or pass it to Promise.all / ctx.promise.all) before returning; ` +
      "an operation left running when the execution ends never completes."
    );
  }
}
