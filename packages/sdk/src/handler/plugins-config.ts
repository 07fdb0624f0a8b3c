/** Execution-level settings for instrumentation plugins (`DurableExecutionConfig.pluginsConfig`). */
export interface PluginsConfig {
  /**
   * How many levels of child-context operations to keep in later invocations' state for plugins
   * to see (the AWS SDK's setting: `0`, the default, top level only; `1` the direct children of
   * top-level contexts; `Infinity` the whole tree). Cairn never prunes finished contexts'
   * children from the state an invocation loads, so plugins see the whole tree at any depth; the
   * value is checked as on AWS: anything but a non-negative integer or `Infinity` fails the
   * execution before the handler runs.
   *
   * @experimental As on the AWS SDK.
   */
  childOperationsDepth?: number;
}

/**
 * What is wrong with `pluginsConfig`, in the AWS SDK's words, or undefined when nothing is. A
 * wrong value is a configuration error retrying cannot fix: the invocation fails the execution.
 */
export function pluginsConfigProblem(pluginsConfig: unknown): string | undefined {
  if (pluginsConfig === undefined) return undefined;
  if (typeof pluginsConfig !== "object" || pluginsConfig === null) {
    return `pluginsConfig must be an object such as { childOperationsDepth: 1 }; got ${pluginsConfig === null ? "null" : typeof pluginsConfig}.`;
  }
  const depth = (pluginsConfig as PluginsConfig).childOperationsDepth;
  if (depth === undefined || depth === Infinity) return undefined;
  if (typeof depth !== "number" || !Number.isInteger(depth) || depth < 0) {
    return `pluginsConfig.childOperationsDepth must be a non-negative integer or Infinity; got ${String(depth)}.`;
  }
  return undefined;
}
