/** Identifies what is being (de)serialized, so a serdes can e.g. key external storage by it. */
export interface SerdesContext {
  /** Id of the operation whose value this is (positional, e.g. `"2-1"`); stable across replays. */
  entityId: string;
  /** The execution the value belongs to. */
  durableExecutionArn: string;
}

/** Converts an operation's value to the checkpointed string and back. Async, so it may do I/O. */
export interface Serdes<T> {
  /**
   * Turns the value into the string stored in the checkpoint (`undefined`: store nothing). A
   * rejection fails only the operation, with an error naming it.
   */
  serialize: (value: T | undefined, context: SerdesContext) => Promise<string | undefined>;
  /** Turns the stored string back into the value, on the first run as on every replay. */
  deserialize: (data: string | undefined, context: SerdesContext) => Promise<T | undefined>;
}

/** A serdes for values of any type, e.g. the execution-wide default. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a serdes that accepts any value is the point
export type AnySerdes = Serdes<any>;

/** The reading half of any serdes: what `configureSerdes`'s `defaultCallbackDeserializer` takes. */
export type AnySerdesDeserializer = Pick<AnySerdes, "deserialize">;
