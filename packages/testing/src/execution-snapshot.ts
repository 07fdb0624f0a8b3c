import { DurableOperationError, deserializeValue, type ErrorObject, type HistoryEvent, type Operation } from "@cairn/sdk";

/**
 * Error details in the shape the AWS testing library reports them: exactly these four keys, so a
 * ported `expect(error).toEqual({ ... })` compares the same thing on both runners.
 */
export interface TestResultError {
  /** The error's message. */
  errorMessage: string | undefined;
  /** The error's class name as recorded, e.g. `StepError`, `ChildContextError`, `CallbackTimeoutError`. */
  errorType: string | undefined;
  /** The `errorData` string the thrown error carried, or a callback failure's `ErrorData` as the sender gave it. */
  errorData: string | undefined;
  /**
   * As the AWS testing library fills it: the frames an external sender gave with a callback
   * failure; undefined for errors the SDK recorded (steps, contexts, invokes, the execution),
   * which the AWS SDK records without frames. Cairn's recorded frames stay in the history events.
   */
  stackTrace: string[] | undefined;
}

/** Who wrote an error: the SDK (a failed operation or execution) or an external sender (a callback failure). */
export type ErrorOrigin = "sdk" | "external";

type RebuiltError = Error & { errorType?: unknown; errorData?: unknown };

/** The AWS-shaped error details of a recorded ErrorObject; see TestResultError and getErrorCause. */
export function toTestResultError(error: ErrorObject | undefined, origin: ErrorOrigin = "sdk"): TestResultError | undefined {
  if (error === undefined) return undefined;
  const result: TestResultError = {
    errorMessage: error.ErrorMessage,
    errorType: error.ErrorType,
    errorData: error.ErrorData,
    stackTrace: origin === "external" && error.StackTrace ? Array.from(error.StackTrace) : undefined,
  };
  // The SDK records a cause chain with the error; rebuilding it through the public API keeps the
  // encoding in one place.
  if (origin === "sdk") withCause(result, (DurableOperationError.fromErrorObject(error) as RebuiltError).cause);
  return result;
}

// Symbol.for: the CommonJS and ESM builds of this package must agree on it.
const CAUSE = Symbol.for("cairn.testing.errorCause");

/**
 * Cairn addition: the cause recorded with an error from a test result (`getError()`, an
 * operation's details), in the same shape — e.g. the `StepError` inside a `ChildContextError`,
 * and under it what the step threw. Kept off the error object's own keys, so a ported
 * `expect(error).toEqual({ ... })` compares exactly what it compares on the AWS runner.
 *
 * @example
 * const error = result.getError();
 * expect(getErrorCause(error)?.errorType).toBe("StepError");
 */
export function getErrorCause(error: TestResultError | undefined): TestResultError | undefined {
  return error === undefined ? undefined : (error as { [CAUSE]?: TestResultError })[CAUSE];
}

function withCause(target: TestResultError, cause: unknown, depth = 0): void {
  if (!(cause instanceof Error) || depth >= 16) return;
  const rebuilt = cause as RebuiltError;
  const details: TestResultError = {
    errorMessage: rebuilt.message,
    errorType: typeof rebuilt.errorType === "string" ? rebuilt.errorType : rebuilt.name,
    errorData: typeof rebuilt.errorData === "string" ? rebuilt.errorData : undefined,
    stackTrace: undefined,
  };
  withCause(details, rebuilt.cause, depth + 1);
  // A non-enumerable symbol: invisible to toEqual/toStrictEqual, JSON and object spread.
  Object.defineProperty(target, CAUSE, { value: details, enumerable: false, writable: false, configurable: true });
}

/** A payload as stored, and decoded the way the handler would read it. */
export interface DecodedPayload {
  raw: string | undefined;
  value: unknown;
}

type SnapshotData = { operations: readonly Operation[]; events: readonly HistoryEvent[] };

interface Indexed {
  operations: readonly Operation[];
  events: readonly HistoryEvent[];
  byId: Map<string, Operation>;
  byName: Map<string, Operation[]>;
  children: Map<string, Operation[]>;
  eventsById: Map<string, HistoryEvent[]>;
}

/**
 * Operations and history of one execution at one moment, indexed for the lookups a test makes.
 * The EXECUTION operation itself is left out, as in the AWS testing library. Indexing (and, for
 * a lazy snapshot, reading the data) happens on first use: most tests look at a few things only.
 */
export class ExecutionSnapshot {
  #load: (() => SnapshotData) | undefined;
  #data: SnapshotData | undefined;
  #indexed: Indexed | undefined;
  // Decoded on first use too.
  readonly #payloads = new Map<string, DecodedPayload | undefined>();

  private constructor(load: () => SnapshotData) {
    this.#load = load;
  }

  static readonly empty = ExecutionSnapshot.build([], []);

  static build(operations: readonly Operation[], events: readonly HistoryEvent[]): ExecutionSnapshot {
    return new ExecutionSnapshot(() => ({ operations, events }));
  }

  /** A snapshot whose data is read only when first needed; `load` must return data that no longer changes. */
  static lazy(load: () => SnapshotData): ExecutionSnapshot {
    return new ExecutionSnapshot(load);
  }

  get operations(): readonly Operation[] {
    return this.#index().operations;
  }

  get events(): readonly HistoryEvent[] {
    // The history as stored needs no index: reading it (getInvocations, getHistoryEvents) must not
    // build maps over every operation and event of a large run.
    return this.#read().events;
  }

  #read(): SnapshotData {
    if (!this.#data) {
      this.#data = (this.#load as () => SnapshotData)();
      this.#load = undefined;
    }
    return this.#data;
  }

  #index(): Indexed {
    if (this.#indexed) return this.#indexed;
    const { operations, events } = this.#read();
    const eventsById = new Map<string, HistoryEvent[]>();
    // Execution order is the order in which operations first appear in the history.
    const firstEvent = new Map<string, number>();
    events.forEach((event, position) => {
      if (event.Id === undefined) return;
      push(eventsById, event.Id, event);
      if (!firstEvent.has(event.Id)) firstEvent.set(event.Id, position);
    });
    const ordered = operations
      .filter((op) => op.Type !== "EXECUTION")
      .map((op, position) => ({ op, key: firstEvent.get(op.Id) ?? events.length + position }))
      .sort((a, b) => a.key - b.key)
      .map(({ op }) => op);
    const indexed: Indexed = { operations: ordered, events, byId: new Map(), byName: new Map(), children: new Map(), eventsById };
    for (const op of ordered) {
      indexed.byId.set(op.Id, op);
      if (op.Name !== undefined) push(indexed.byName, op.Name, op);
      if (op.ParentId !== undefined) push(indexed.children, op.ParentId, op);
    }
    this.#indexed = indexed;
    this.#data = indexed; // drops the unordered operation list
    return indexed;
  }

  byId(id: string): Operation | undefined {
    return this.#index().byId.get(id);
  }

  /** The `index`-th operation named `name`; a negative index counts from the last (as `Array.at`, like the AWS runner). */
  byName(name: string, index = 0): Operation | undefined {
    return this.#index().byName.get(name)?.at(index);
  }

  /** The `index`-th operation in order; a negative index counts from the last (as `Array.at`, like the AWS runner). */
  byIndex(index: number): Operation | undefined {
    return this.operations.at(index);
  }

  childrenOf(id: string): readonly Operation[] {
    return this.#index().children.get(id) ?? [];
  }

  eventsOf(id: string): readonly HistoryEvent[] {
    return this.#index().eventsById.get(id) ?? [];
  }

  /** The operation's result payload, decoded the way the handler reads it with the default serdes. */
  resultOf(id: string): DecodedPayload | undefined {
    if (this.#payloads.has(id)) return this.#payloads.get(id);
    const op = this.byId(id);
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
