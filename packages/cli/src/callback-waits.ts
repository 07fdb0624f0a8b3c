import { setTimeout as sleep } from "node:timers/promises";
import type { DurableExecutionService, OrchestratorClock } from "@cairn/sdk/service";
import type { ExternalChangeInfo, WaitingInfo } from "@cairn/sdk/orchestrator";
import type { Operation } from "@cairn/sdk";
import type { Output } from "./output.js";
import { storeFlag } from "./store.js";

/**
 * How often a waiting run reads the store for an answer sent by another process. The file store
 * offers no cross-process notification, and file watching is unreliable on network and container
 * file systems; a read costs only the log bytes appended since the last one (usually none), and it
 * happens only while the execution waits on something external — never while it has work to do.
 */
export const ANSWER_POLL_INTERVAL_MS = 250;

/** Callbacks still waiting for an answer, in operation order. */
export function openCallbacks(operations: readonly Operation[]): Operation[] {
  return operations.filter((op) => op.Type === "CALLBACK" && op.Status === "STARTED" && op.CallbackDetails?.CallbackId !== undefined);
}

/** A callback's name, or for the unnamed one inside a waitForCallback, that operation's name. */
export function callbackName(op: Operation, operations: readonly Operation[]): string | undefined {
  if (op.Name !== undefined) return op.Name;
  const parent = op.ParentId === undefined ? undefined : operations.find((o) => o.Id === op.ParentId);
  return parent?.SubType === "WaitForCallback" ? parent.Name : undefined;
}

/** The commands that answer `callbackId` from another terminal. */
export function answerCommands(callbackId: string, directory: string): string[] {
  const store = storeFlag(directory);
  return [
    `cairn callback succeed ${callbackId} --payload '<json>'${store}`,
    `cairn callback fail ${callbackId} --error '{"ErrorMessage":"<why>"}'${store}`,
  ];
}

export interface CallbackWaitsOptions {
  out: Output;
  service: DurableExecutionService;
  clock: OrchestratorClock;
  directory: string;
  /**
   * Stop instead of waiting for an answer once any callback waits (--no-wait), even when a timer
   * (such as that callback's own timeout) is pending.
   */
  noWait: boolean;
  /**
   * Ends the run when a callback waits and `noWait` is set while a timer is pending: returning
   * false from `onWaiting` with a timer means "the timer has come", so the run has to be stopped
   * through its signal instead. {@link CallbackWaits.stoppedForCallback} then tells this stop
   * apart from SIGINT/SIGTERM.
   */
  stopRun: () => void;
}

/**
 * The CLI's `onWaiting` and `waitForExternalChange`: says which callbacks the execution waits
 * for and how to answer them, then waits — for the next timer (with the clock's countdown) or for
 * an answer written to the store by another process, whichever comes first.
 */
export class CallbackWaits {
  readonly #announced = new Set<string>();
  #stoppedForCallback = false;

  constructor(private readonly options: CallbackWaitsOptions) {}

  readonly onWaiting = async ({ executionArn, signal, until }: WaitingInfo): Promise<boolean> => {
    const open = await this.#announce(executionArn);
    if (this.options.noWait && open > 0) {
      if (until !== undefined) {
        this.#stoppedForCallback = true;
        this.options.stopRun();
      }
      return false;
    }
    if (until === undefined && (this.options.noWait || open === 0)) return false;
    const stop = new AbortController();
    const both = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    try {
      const answered = this.#pollForWakeUp(executionArn, both).then((due) => (due ? true : undefined));
      if (until === undefined) return (await answered) ?? false;
      const timer = this.options.clock.sleepUntil(until, both).then(
        () => false,
        () => undefined, // cancelled: the answer (or the run's signal) won
      );
      return (await Promise.race([answered, timer])) ?? false;
    } finally {
      stop.abort();
    }
  };

  /** True once the run was stopped (through `stopRun`) because a callback waits and `noWait` is set. */
  get stoppedForCallback(): boolean {
    return this.#stoppedForCallback;
  }

  readonly waitForExternalChange = async ({ executionArn, signal }: ExternalChangeInfo): Promise<void> => {
    await this.#announce(executionArn);
    await this.#pollForWakeUp(executionArn, signal);
  };

  /** Prints each newly waiting callback once; returns how many wait. */
  async #announce(executionArn: string): Promise<number> {
    const { out, service, directory } = this.options;
    const operations = await service.getOperations(executionArn);
    const open = openCallbacks(operations);
    for (const op of open) {
      const callbackId = op.CallbackDetails?.CallbackId as string;
      if (this.#announced.has(callbackId)) continue;
      this.#announced.add(callbackId);
      const name = callbackName(op, operations);
      out.line(`${out.color.cyan("⏸")} waiting for callback${name === undefined ? "" : ` ${JSON.stringify(name)}`} (op ${op.Id}) — id ${out.color.bold(callbackId)}`);
      out.line(out.color.dim("  answer it from another terminal:"));
      for (const command of answerCommands(callbackId, directory)) out.line(`    ${command}`);
    }
    return open.length;
  }

  /**
   * Resolves true once the execution is due (an answer requested a wake-up) or was ended from
   * outside (`cairn stop`/`cairn fail`), so the run moves on and reports it; false if `signal` aborts.
   */
  async #pollForWakeUp(executionArn: string, signal: AbortSignal): Promise<boolean> {
    const { service, clock } = this.options;
    while (!signal.aborted) {
      const due = await service.wakeAt(executionArn);
      if (due !== undefined && due.getTime() <= clock.now().getTime()) return true;
      if ((await service.getExecution(executionArn)).status !== "RUNNING") return true;
      try {
        await sleep(ANSWER_POLL_INTERVAL_MS, undefined, { signal });
      } catch {
        return false;
      }
    }
    return false;
  }
}
