import { ValidationError } from "../../errors/validation-error.js";
import type { DistributedMapDefinition, DistributedMapOptions } from "../../types/distributed-map.js";
import { validateDefinitionOptions } from "./validate.js";

// Children find their processing half by name in this registry, filled at module scope when the
// function's module loads: a child execution runs the same module, so it defines the same names
// without running the parent's handler.
const definitions = new Map<string, DistributedMapDefinition<unknown, unknown, unknown>>();

/**
 * Defines a distributed map's processing half: where items come from (`source`) and what is done
 * with each (`itemHandler`). Call it at module scope of the function that runs
 * `ctx.distributedMap`, so the child executions (invocations of that same function) find it.
 *
 * @throws ValidationError for a bad option (naming it), or a name already defined by another call.
 * @example
 * ```ts
 * const backfill = defineDistributedMap("backfill", {
 *   source: (params: { table: string }) => ({ readPage: (cursor) => scanPage(params.table, cursor) }),
 *   itemHandler: async (row, ctx) => ctx.step("copy", () => copyRow(row)),
 * });
 * export const handler = withDurableExecution(async (event, ctx) =>
 *   ctx.distributedMap(backfill, { params: { table: event.table }, partitions: 50 }),
 * );
 * ```
 */
export function defineDistributedMap<TItem, TParams = unknown, TCursor = unknown>(
  name: string,
  options: DistributedMapOptions<TItem, TParams, TCursor>,
): DistributedMapDefinition<TItem, TParams, TCursor> {
  if (typeof name !== "string" || name.trim().length === 0 || name.length > 128) {
    throw new ValidationError(`defineDistributedMap: the name must be a non-empty string of at most 128 characters, got ${JSON.stringify(name)}.`);
  }
  validateDefinitionOptions(name, options as unknown as DistributedMapOptions<unknown, unknown, unknown>);
  const existing = definitions.get(name);
  if (existing !== undefined && existing.options !== (options as unknown)) {
    throw new ValidationError(
      `defineDistributedMap("${name}"): this name is already defined. Children find a definition by its name, so each must be unique in the function.`,
    );
  }
  const definition: DistributedMapDefinition<TItem, TParams, TCursor> = Object.freeze({ name, options });
  definitions.set(name, definition as unknown as DistributedMapDefinition<unknown, unknown, unknown>);
  return definition;
}

/** The definition a child's input names, or a ValidationError saying where it should come from. */
export function definitionNamed(name: string): DistributedMapDefinition<unknown, unknown, unknown> {
  const definition = definitions.get(name);
  if (definition === undefined) {
    const known = [...definitions.keys()].map((n) => `"${n}"`).join(", ") || "none";
    throw new ValidationError(
      `This execution is a partition of the distributed map "${name}", but this function defines no distributed map of that name ` +
        `(defined: ${known}). Call defineDistributedMap("${name}", ...) at module scope of the function the parent invokes ` +
        "(config.functionName), not inside a handler.",
    );
  }
  return definition;
}

/** Whether `definition` is one this module registry holds (a definition object made elsewhere is refused). */
export function isRegistered(definition: unknown): definition is DistributedMapDefinition<unknown, unknown, unknown> {
  if (typeof definition !== "object" || definition === null) return false;
  const name = (definition as { name?: unknown }).name;
  return typeof name === "string" && definitions.get(name) === definition;
}
