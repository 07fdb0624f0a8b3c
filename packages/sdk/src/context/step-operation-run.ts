import { OperationType, type OperationUpdate } from "../protocol/wire.js";
import type { Serdes, SerdesContext } from "../types/serdes.js";
import type { Scope } from "./active-scope.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { attemptEnded, operationEnded, type OperationIdentityInfo } from "./operation-hooks.js";
import type { PayloadSite } from "./payloads.js";

/**
 * What one call of a STEP operation (a step, or a waitForCondition whose attempts are checks)
 * needs for its updates, plugin reports and (de)serialization, without closures. Thousands can be
 * live at once (a map's items), so what only a custom serdes, an error message or a plugin reads
 * is derived on demand rather than stored, and the sub-type is a getter, not a field.
 */
export abstract class StepOperationRun<T, C extends { readonly serdes?: Serdes<T> | undefined }> implements PayloadSite, Scope {
  /** An attempt's body started in this invocation (only tracked when plugins are registered). */
  attemptRunning = false;

  constructor(
    readonly ctx: ContextImpl,
    readonly id: string,
    readonly name: string | undefined,
    readonly config: C,
  ) {}

  abstract get subType(): string;

  /** The operation as error messages name it, e.g. `step "charge" (id 3)`. */
  abstract get what(): string;

  /** Its attempts run user code (a step body, a check) that must not start durable operations. */
  get isBody(): boolean {
    return true;
  }

  get scopeDescription(): string {
    return `the body of ${this.what}`;
  }

  get serdesContext(): SerdesContext {
    return { entityId: this.id, durableExecutionArn: this.ctx.engine.executionArn };
  }

  get serdes(): Serdes<T> {
    return this.config.serdes ?? this.ctx.engine.defaultSerdes;
  }

  get identity(): OperationIdentityInfo {
    return { id: this.id, name: this.name, type: OperationType.STEP, subType: this.subType, parentId: this.ctx.operationId };
  }

  update(action: OperationUpdate["Action"], extra?: Partial<OperationUpdate>): OperationUpdate {
    const update: OperationUpdate = {
      Id: this.id,
      ParentId: this.ctx.operationId,
      Name: this.name,
      Type: OperationType.STEP,
      SubType: this.subType,
      Action: action,
    };
    return extra ? Object.assign(update, extra) : update;
  }

  /**
   * Tells plugins how the attempt (if one ran here) and, when terminal, the operation ended;
   * `retryDelaySeconds` is the delay before the next attempt when a failed attempt is retried.
   */
  async reportEnd(attempt: number, error: unknown, terminal: boolean, retryDelaySeconds?: number): Promise<void> {
    const engine = this.ctx.engine;
    if (this.attemptRunning) await attemptEnded(engine, this.identity, attempt, error, retryDelaySeconds);
    this.attemptRunning = false;
    if (terminal) await operationEnded(engine, this.identity, error);
  }
}
