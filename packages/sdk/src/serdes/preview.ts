// A small, readable extract of a value — chosen fields, some masked — to keep in a checkpoint
// beside a pointer to where the whole value lives (see file-system-serdes.ts).
import { ValidationError } from "../errors/validation-error.js";
import { shownValue } from "../errors/shown-value.js";

/** How a {@link PreviewField} names a field. */
export enum FieldMatchMode {
  /** A field of that name at any depth (the default): `email` matches `email` and `user.email`. */
  ANYWHERE = "ANYWHERE",
  /** The dot-separated path from the root: `user.email` matches only that field. */
  PATH = "PATH",
}

/** Which fields a preview shows before its `include`, `exclude` and `mask` lists apply. */
export enum PreviewMode {
  /** Every field, less the excluded ones. */
  INCLUDE_ALL = "INCLUDE_ALL",
  /** Only the included (and masked) fields. */
  EXCLUDE_ALL = "EXCLUDE_ALL",
}

/** A field named in a preview's lists. */
export interface PreviewField {
  /** The field's name, or with `match: PATH` its dot-separated path. */
  name: string;
  /** How `name` is matched (default ANYWHERE). */
  match?: FieldMatchMode;
}

/** What {@link buildPreview} keeps of a value. */
export interface PreviewConfig {
  /** Whether fields are shown unless excluded (INCLUDE_ALL) or hidden unless included (EXCLUDE_ALL). */
  mode: PreviewMode;
  /** Fields to show (with EXCLUDE_ALL). Naming an object shows everything inside it in ANYWHERE mode. */
  include?: PreviewField[];
  /** Fields never shown, masked or not: exclusion wins. */
  exclude?: PreviewField[];
  /** Fields shown as `maskString` instead of their value (shown even with EXCLUDE_ALL). */
  mask?: PreviewField[];
  /** What a masked field shows (default `"***"`). */
  maskString?: string;
  /** The preview's JSON stops growing at about this many bytes (default 4096). */
  maxPreviewBytes?: number;
}

/** Keys never read into a preview: copying them into an object could change its prototype. */
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * The fields of `value` that `config` shows, as a nested object shaped like the value (a masked
 * field as `maskString`), or undefined when nothing is shown or `value` is no object. Fields are
 * taken in the value's order until the preview would pass `maxPreviewBytes`.
 *
 * What it does not keep: arrays (their elements' fields are merged at the array's place, a later
 * element's field over an earlier one's), fields whose names contain a dot (a dot separates a
 * path), and `__proto__`, `constructor` and `prototype` keys.
 *
 * @example
 * ```ts
 * buildPreview(order, { mode: PreviewMode.EXCLUDE_ALL, include: [{ name: "id" }], mask: [{ name: "email" }] });
 * // { id: "o-1", customer: { email: "***" } }
 * ```
 */
export function buildPreview(value: unknown, config: PreviewConfig): Record<string, unknown> | undefined {
  checkConfig(config);
  if (value === null || typeof value !== "object") return undefined;
  const leaves = shownLeaves(value, config);
  const maxBytes = config.maxPreviewBytes ?? 4096;
  const preview: Record<string, unknown> = {};
  let bytes = 2; // the braces
  let kept = 0;
  for (const [path, leaf] of leaves) {
    // Sized as a flat `"path":value,` entry: an estimate, close enough to bound a checkpoint.
    const size = Buffer.byteLength(`"${path}":${JSON.stringify(leaf)},`, "utf8");
    if (bytes + size > maxBytes) break;
    bytes += size;
    place(preview, path.split("."), leaf);
    kept++;
  }
  return kept === 0 ? undefined : preview;
}

/** Every shown leaf of `value` as [dot path, value or mask], in the value's order. */
function shownLeaves(value: object, config: PreviewConfig): [string, unknown][] {
  const mask = config.maskString ?? "***";
  const leaves: [string, unknown][] = [];
  // Objects on the current path: a value that contains itself is read once, not forever.
  const ancestors = new Set<object>();
  const visit = (node: unknown, prefix: string): void => {
    if (node === null || typeof node !== "object" || ancestors.has(node)) return;
    ancestors.add(node);
    try {
      visitObject(node, prefix);
    } finally {
      ancestors.delete(node);
    }
  };
  const visitObject = (node: object, prefix: string): void => {
    if (Array.isArray(node)) {
      for (const element of node) visit(element, prefix);
      return;
    }
    for (const key of Object.keys(node)) {
      if (UNSAFE_KEYS.has(key) || key.includes(".")) continue;
      const path = prefix === "" ? key : `${prefix}.${key}`;
      const child = (node as Record<string, unknown>)[key];
      if (matchesAny(path, config.exclude)) continue;
      const masked = matchesAny(path, config.mask);
      const shown = masked || config.mode === PreviewMode.INCLUDE_ALL || matchesAny(path, config.include);
      if (masked) leaves.push([path, mask]);
      else if (shown && (child === null || typeof child !== "object")) leaves.push([path, child]);
      // An object shown, or one not shown that may hold fields that are: look inside.
      else visit(child, path);
    }
  };
  visit(value, "");
  return leaves;
}

function matchesAny(path: string, fields: readonly PreviewField[] | undefined): boolean {
  if (fields === undefined) return false;
  return fields.some((field) => ((field.match ?? FieldMatchMode.ANYWHERE) === FieldMatchMode.PATH ? path === field.name : path.split(".").includes(field.name)));
}

/** Sets `leaf` at `parts` inside `target`, making (or replacing a leaf with) objects on the way. */
function place(target: Record<string, unknown>, parts: readonly string[], leaf: unknown): void {
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== "object") node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = leaf;
}

function checkConfig(config: PreviewConfig): void {
  if (typeof config !== "object" || config === null) throw new ValidationError("buildPreview: config is required, e.g. { mode: PreviewMode.INCLUDE_ALL }.");
  if (!Object.values(PreviewMode).includes(config.mode)) {
    throw new ValidationError(`buildPreview: config.mode must be PreviewMode.INCLUDE_ALL or PreviewMode.EXCLUDE_ALL (got ${JSON.stringify(config.mode)}).`);
  }
  for (const list of ["include", "exclude", "mask"] as const) {
    const fields = config[list];
    if (fields === undefined) continue;
    const bad = !Array.isArray(fields) || fields.some((f) => typeof f?.name !== "string" || (f.match !== undefined && !Object.values(FieldMatchMode).includes(f.match)));
    if (bad) throw new ValidationError(`buildPreview: config.${list} must be a list of { name, match? } (match: FieldMatchMode.ANYWHERE or PATH).`);
  }
  const max = config.maxPreviewBytes;
  if (max !== undefined && !(Number.isFinite(max) && max > 0)) {
    throw new ValidationError(`buildPreview: config.maxPreviewBytes must be a positive number (got ${shownValue(max)}).`);
  }
}
