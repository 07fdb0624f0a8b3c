import type { OperationUpdate } from "@cairn/sdk";
import type { CheckpointFaultInfo } from "@cairn/testing";

/** The context an update's parent is, as far as the ledger saw it started. */
export interface LedgerContext {
  name?: string | undefined;
  subType?: string | undefined;
}

/**
 * Names the side effect whose result a stored update carries (undefined: none). The default names
 * a named step's SUCCEED after the step, suffixed with its map item's name inside a map.
 */
export type StoredLabeler = (update: OperationUpdate, parent: LedgerContext | undefined) => string | undefined;

const stepSucceeded: StoredLabeler = (update, parent) => {
  if (update.Type !== "STEP" || update.Action !== "SUCCEED" || !update.Name) return undefined;
  const suffix = parent?.subType === "MapIteration" && parent.name ? `:${parent.name}` : "";
  return `${update.Name}${suffix}`;
};

/**
 * Records, on one timeline, every call of an example's side-effecting service and every step
 * result the store acknowledged, so a test can prove that no step body ran again after its result
 * was stored — whatever crashes happened in between.
 */
export class SideEffectLedger {
  readonly #timeline: ({ kind: "call"; label: string } | { kind: "stored"; label: string })[] = [];
  readonly #contexts = new Map<string, LedgerContext>();
  readonly #storedLabel: StoredLabeler;
  #crashInside: string | undefined;
  #crashArmed = false;

  constructor(options: { storedLabel?: StoredLabeler } = {}) {
    this.#storedLabel = options.storedLabel ?? stepSucceeded;
  }

  /** Crash the invocation while the body calling `label` runs (at the next checkpoint call). */
  crashInside(label: string): void {
    this.#crashInside = label;
  }

  call(label: string): void {
    this.#timeline.push({ kind: "call", label });
    if (this.#crashInside === label) {
      this.#crashInside = undefined;
      this.#crashArmed = true;
    }
  }

  /** Feed every checkpoint call through this (as a never-firing `crashWhen`, or combined with one). */
  observe(info: CheckpointFaultInfo): boolean {
    if (this.crashDue(info)) return true;
    this.record(info);
    return false;
  }

  /** True (once) at the first checkpoint call made after the body armed by `crashInside` ran. */
  crashDue(info: CheckpointFaultInfo): boolean {
    if (info.phase !== "before" || !this.#crashArmed) return false;
    this.#crashArmed = false;
    return true;
  }

  /** Notes the contexts started and the results stored by a checkpoint call's "after" phase. */
  record(info: CheckpointFaultInfo): void {
    if (info.phase !== "after") return;
    for (const update of info.updates) {
      if (update.Type === "CONTEXT" && update.Action === "START") {
        this.#contexts.set(update.Id, { name: update.Name, subType: update.SubType });
      }
      const label = this.#storedLabel(update, update.ParentId ? this.#contexts.get(update.ParentId) : undefined);
      if (label !== undefined) this.#timeline.push({ kind: "stored", label });
    }
  }

  calls(label: string): number {
    return this.#timeline.filter((e) => e.kind === "call" && e.label === label).length;
  }

  /** Whether the result of `label` was stored (as far as the ledger observed). */
  stored(label: string): boolean {
    return this.#timeline.some((e) => e.kind === "stored" && e.label === label);
  }

  /** Every call, in order. */
  callLog(): string[] {
    return this.#timeline.filter((e) => e.kind === "call").map((e) => e.label);
  }

  labels(): string[] {
    return [...new Set(this.#timeline.filter((e) => e.kind === "call").map((e) => e.label))];
  }

  /** Labels whose body was called again after its result had been stored. */
  rerunsAfterStored(): string[] {
    const stored = new Set<string>();
    const violations = new Set<string>();
    for (const event of this.#timeline) {
      if (event.kind === "stored") stored.add(event.label);
      else if (stored.has(event.label)) violations.add(event.label);
    }
    return [...violations];
  }
}
