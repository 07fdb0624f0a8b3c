import type { CheckpointFaultInfo } from "@cairn/testing";

/**
 * Records, on one timeline, every call of an example's side-effecting service and every step
 * result the store acknowledged, so a test can prove that no step body ran again after its result
 * was stored — whatever crashes happened in between.
 */
export class SideEffectLedger {
  readonly #timeline: ({ kind: "call"; label: string } | { kind: "stored"; label: string })[] = [];
  readonly #contexts = new Map<string, { name?: string; subType?: string }>();
  #crashInside: string | undefined;
  #crashArmed = false;

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
    if (info.phase === "before" && this.#crashArmed) {
      this.#crashArmed = false;
      return true;
    }
    if (info.phase !== "after") return false;
    for (const update of info.updates) {
      if (update.Type === "CONTEXT" && update.Action === "START") {
        this.#contexts.set(update.Id, { name: update.Name, subType: update.SubType });
      }
      if (update.Type === "STEP" && update.Action === "SUCCEED" && update.Name) {
        const parent = update.ParentId ? this.#contexts.get(update.ParentId) : undefined;
        const suffix = parent?.subType === "MapIteration" && parent.name ? `:${parent.name}` : "";
        this.#timeline.push({ kind: "stored", label: `${update.Name}${suffix}` });
      }
    }
    return false;
  }

  calls(label: string): number {
    return this.#timeline.filter((e) => e.kind === "call" && e.label === label).length;
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
