/**
 * A plugin named in `DURABLE_EXECUTION_PLUGINS` could not be loaded: the variable is malformed, a
 * module is missing or throws while loading, or it exports no usable `durableExecutionPluginProvider`.
 * The invocation that meets it ends FAILED with this error (retrying cannot fix a configuration),
 * and the message names the module and what to change.
 */
export class PluginLoadError extends Error {
  /** The error type recorded in checkpoints (`ErrorType`); survives replay where `instanceof` does not. */
  readonly errorType = "PluginLoadError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(`Dynamic plugin configuration failed: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PluginLoadError";
  }
}
