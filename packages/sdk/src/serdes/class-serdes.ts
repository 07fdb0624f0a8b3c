// Serdes that hand a class instance back on replay: the value is stored as plain JSON and read
// back into a fresh instance of the class, so its methods work on the replayed value too.
import { ValidationError } from "../errors/validation-error.js";
import type { Serdes } from "../types/serdes.js";

/** A class whose constructor can be called without arguments. */
export type NoArgumentClass<T extends object> = new () => T;

/**
 * A serdes that stores a class instance as JSON and reads it back into `new cls()`, its fields
 * assigned from the stored JSON, so the replayed value has the class's methods again.
 *
 * What it does not restore: the constructor runs again (with its side effects), fields nested
 * inside the value come back as plain objects, `Date`s as strings (see
 * {@link createClassSerdesWithDates}), and private (`#`) fields and accessors are not stored.
 * For anything richer, write a `Serdes` of your own.
 *
 * @example
 * ```ts
 * class Order {
 *   id = "";
 *   lines: number[] = [];
 *   total() { return this.lines.reduce((a, b) => a + b, 0); }
 * }
 * const order = await ctx.step("load", async () => loadOrder(id), { serdes: createClassSerdes(Order) });
 * order.total(); // a method, on the first run and on every replay
 * ```
 */
export function createClassSerdes<T extends object>(cls: NoArgumentClass<T>): Serdes<T> {
  checkClass("createClassSerdes", cls);
  return {
    serialize: async (value) => (value === undefined ? undefined : JSON.stringify(value)),
    deserialize: async (data) => (data === undefined ? undefined : Object.assign(new cls(), JSON.parse(data) as Partial<T>)),
  };
}

/**
 * As {@link createClassSerdes}, and turns the fields at `dateProps` back into `Date`s. A path
 * names a field of the instance (`"createdAt"`) or of an object inside it, dot-separated
 * (`"metadata.publishedAt"`); a path that leads nowhere in the stored value, or to null, is left
 * as it is.
 *
 * @example
 * ```ts
 * class Article {
 *   title = "";
 *   createdAt = new Date();
 *   metadata = { publishedAt: new Date() };
 * }
 * const serdes = createClassSerdesWithDates(Article, ["createdAt", "metadata.publishedAt"]);
 * ```
 */
export function createClassSerdesWithDates<T extends object>(cls: NoArgumentClass<T>, dateProps: readonly string[]): Serdes<T> {
  checkClass("createClassSerdesWithDates", cls);
  if (!Array.isArray(dateProps) || dateProps.some((path) => typeof path !== "string" || path.split(".").some((part) => part === ""))) {
    throw new ValidationError(
      `createClassSerdesWithDates: dateProps must be an array of field paths such as "createdAt" or "metadata.publishedAt" (got ${describe(dateProps)}).`,
    );
  }
  const paths = dateProps.map((path) => path.split("."));
  return {
    serialize: async (value) => (value === undefined ? undefined : JSON.stringify(value)),
    deserialize: async (data) => {
      if (data === undefined) return undefined;
      const instance = Object.assign(new cls(), JSON.parse(data) as Partial<T>);
      for (const path of paths) reviveDate(instance, path);
      return instance;
    },
  };
}

/** Replaces the string or number at `path` inside `root` with a Date; anything else stays. */
function reviveDate(root: object, path: readonly string[]): void {
  let holder: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    holder = isObject(holder) ? holder[path[i] as string] : undefined;
  }
  if (!isObject(holder)) return;
  const key = path[path.length - 1] as string;
  const value = holder[key];
  if (typeof value === "string" || typeof value === "number") holder[key] = new Date(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function checkClass(caller: string, cls: unknown): void {
  if (typeof cls !== "function") {
    throw new ValidationError(`${caller}: cls must be a class whose constructor takes no arguments (got ${describe(cls)}).`);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === "string" ? JSON.stringify(v) : typeof v)).join(", ")}]`;
  return typeof value;
}
