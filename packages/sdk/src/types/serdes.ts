/** Identifies what is being (de)serialized, so a serdes can e.g. key external storage by it. */
export interface SerdesContext {
  entityId: string;
  durableExecutionArn: string;
}

/** Converts an operation's value to the checkpointed string and back. Async, so it may do I/O. */
export interface Serdes<T> {
  serialize: (value: T | undefined, context: SerdesContext) => Promise<string | undefined>;
  deserialize: (data: string | undefined, context: SerdesContext) => Promise<T | undefined>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a serdes that accepts any value is the point
export type AnySerdes = Serdes<any>;
