import { deserializeValue, type ErrorObject, type HistoryEvent, type Operation } from "@cairn/sdk";

/** Error details in the shape the AWS testing library reports them. */
export interface TestResultError {
  errorMessage: string | undefined;
  errorType: string | undefined;
  errorData: string | undefined;
  stackTrace: string[] | undefined;
}

export function toTestResultError(error: ErrorObject | undefined): TestResultError | undefined {
  if (error === undefined) return undefined;
  return {
    errorMessage: error.ErrorMessage,
    errorType: error.ErrorType,
    errorData: error.ErrorData,
    stackTrace: error.StackTrace,
  };
}

/** A payload as stored, and decoded the way the handler would read it. */
export interface DecodedPayload {
  raw: string | undefined;
  value: unknown;
}

/**
 * Operations and history of one execution at one moment, indexed for the lookups a test makes.
 * The EXECUTION operation itself is left out, as in the AWS testing library.
 */
export class ExecutionSnapshot {
  readonly operations: readonly Operation[];
  readonly events: readonly HistoryEvent[];
  readonly #byId = new Map<string, Operation>();
  readonly #byName = new Map<string, Operation[]>();
  readonly #children = new Map<string, Operation[]>();
  readonly #eventsById = new Map<string, HistoryEvent[]>();
  // Decoded on first use: most tests look at a few results, not at every operation's.
  readonly #payloads = new Map<string, DecodedPayload | undefined>();

  private constructor(operations: Operation[], events: HistoryEvent[]) {
    this.events = events;
    for (const event of events) {
      if (event.Id === undefined) continue;
      const list = this.#eventsById.get(event.Id) ?? [];
      list.push(event);
      this.#eventsById.set(event.Id, list);
    }
    // Execution order is the order in which operations first appear in the history.
    const firstEvent = new Map<string, number>();
    events.forEach((event, position) => {
      if (event.Id !== undefined && !firstEvent.has(event.Id)) firstEvent.set(event.Id, position);
    });
    const ordered = operations
      .filter((op) => op.Type !== "EXECUTION")
      .map((op, position) => ({ op, key: firstEvent.get(op.Id) ?? events.length + position }))
      .sort((a, b) => a.key - b.key)
      .map(({ op }) => op);
    this.operations = ordered;
    for (const op of ordered) {
      this.#byId.set(op.Id, op);
      if (op.Name !== undefined) push(this.#byName, op.Name, op);
      if (op.ParentId !== undefined) push(this.#children, op.ParentId, op);
    }
  }

  static readonly empty = new ExecutionSnapshot([], []);

  static build(operations: Operation[], events: HistoryEvent[]): ExecutionSnapshot {
    return new ExecutionSnapshot(operations, events);
  }

  byId(id: string): Operation | undefined {
    return this.#byId.get(id);
  }

  byName(name: string, index = 0): Operation | undefined {
    return this.#byName.get(name)?.[index];
  }

  byIndex(index: number): Operation | undefined {
    return this.operations[index];
  }

  childrenOf(id: string): readonly Operation[] {
    return this.#children.get(id) ?? [];
  }

  eventsOf(id: string): readonly HistoryEvent[] {
    return this.#eventsById.get(id) ?? [];
  }

  /** The operation's result payload, decoded the way the handler reads it with the default serdes. */
  resultOf(id: string): DecodedPayload | undefined {
    if (this.#payloads.has(id)) return this.#payloads.get(id);
    const op = this.#byId.get(id);
    const raw = op && resultPayloadOf(op);
    const decoded = raw === undefined ? undefined : { raw, value: decodePayload(raw) };
    this.#payloads.set(id, decoded);
    return decoded;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function resultPayloadOf(op: Operation): string | undefined {
  return (
    op.StepDetails?.Result ?? op.ContextDetails?.Result ?? op.CallbackDetails?.Result ?? op.ChainedInvokeDetails?.Result
  );
}

/**
 * Reads a payload as the handler would with the default serdes (superjson envelopes or plain
 * JSON), falling back to the raw string for payloads that are neither (e.g. a custom serdes's).
 */
export function decodePayload(raw: string): unknown {
  try {
    return deserializeValue(raw);
  } catch {
    return raw;
  }
}
