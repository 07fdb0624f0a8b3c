import type { CheckpointedOperation } from "./checkpointed-operations.js";
import { expandHeld, type HeldOperation } from "./held-operation.js";

/**
 * Positions above this are kept in the Map of other ids. A context's positions count up from 1
 * without gaps, so only an id no handler wrote could leave an array mostly holes; this bounds how
 * many.
 */
const MAX_POSITION = 1 << 20;

/**
 * A context in the tree: its own operation (undefined while none is known), how many operations
 * were checkpointed in it when the invocation began, then one slot per position: position p at
 * index p + 1 (positions start at 1).
 */
type ContextNode = (HeldOperation | ContextNode | number | undefined)[];
/** What a position holds: nothing, an operation without children, or a context. */
type Slot = HeldOperation | ContextNode | undefined;

const OWN = 0;
const COUNT = 1;

/**
 * The engine's operations by id, with a Map's get/has/set/values (values in first-insertion
 * order, each id's newest version), and how many operations each context had checkpointed.
 *
 * Most ids are paths of positions — `7` is the handler's 7th operation, `3-2` the 2nd of context
 * `3`, `3-2-1` the 1st of `3-2` — and those are kept in a tree of arrays, one per context, indexed
 * by position; a path may also start with a name (a hashed deep id `h…`, which its children extend,
 * or `0`, the execution). Any other id is kept in a Map.
 *
 * Why a tree and not Maps keyed by id or by context: a lookup walks a few arrays and allocates
 * nothing, where a Map needs the id hashed (and a context key sliced out of it), and a Map's table
 * is rebuilt each time it doubles; past a few thousand entries V8 allocates it in the large-object
 * space, where the rebuild costs about 200 ns per entry. A map over N items has N contexts: keyed
 * by context, loading its state filled two Maps of N entries (the operations' arrays and the child
 * counts) and sliced two strings per item, all of which the collector then copied, since an
 * invocation holds them to its end. In the tree a context is one small array.
 */
export class OperationIndex {
  /** The handler's context: [unused, operations checkpointed at the top level, position 1, …]. */
  readonly #root: ContextNode = [undefined, 0];
  /** Paths whose first part is no position (`0`, `h…`), by that part. */
  readonly #named = new Map<string, Slot>();
  /** Ids that are no path (e.g. `3-01`, `_cairn-yield-1`). */
  readonly #other = new Map<string, HeldOperation>();
  /** Checkpointed operations per context id that is no path. */
  readonly #otherCounts = new Map<string, number>();
  /** Ids in first-insertion order, for values(). */
  readonly #ids: string[] = [];

  get size(): number {
    return this.#ids.length;
  }

  /** The operation `id`, rebuilt when it is held in a compact form (see HeldOperation). */
  get(id: string): CheckpointedOperation | undefined {
    return expandHeld(id, this.held(id));
  }

  has(id: string): boolean {
    return this.held(id) !== undefined;
  }

  /** Holds `op` as the operation `id`: an operation, or a compact form of one (see HeldOperation). */
  set(id: string, op: HeldOperation): this {
    const dash = id.lastIndexOf("-");
    let context: ContextNode | null | undefined = null;
    let position = -1;
    if (dash < 0) {
      position = positionOf(id, 0, id.length);
      if (position > 0) context = this.#root;
      else if (id !== "") {
        const slot = this.#named.get(id);
        if (ownOf(slot) === undefined) this.#ids.push(id);
        if (Array.isArray(slot)) slot[OWN] = op;
        else this.#named.set(id, op);
        return this;
      }
    } else {
      position = positionOf(id, dash + 1, id.length);
      if (position > 0) context = this.#context(id, dash, true);
    }
    if (!context) {
      if (!this.#other.has(id)) this.#ids.push(id);
      this.#other.set(id, op);
      return this;
    }
    const index = position + 1;
    // Fill holes first: writing past the end would turn the array into a slow sparse one.
    while (context.length < index) context.push(undefined);
    const slot = context[index] as Slot;
    if (ownOf(slot) === undefined) this.#ids.push(id);
    if (Array.isArray(slot)) slot[OWN] = op;
    else context[index] = op;
    return this;
  }

  /**
   * Counts `op` as checkpointed in its context: the one whose position its id extends (`3-2`
   * belongs to `3`), except for an id of one part (a flat map item or branch), which counts for
   * its ParentId (none: the handler's).
   */
  countChild(op: Pick<CheckpointedOperation, "Id" | "ParentId">): void {
    const id = op.Id;
    const dash = id.lastIndexOf("-");
    if (dash > 0) this.#count(id, dash);
    else if (op.ParentId === undefined || op.ParentId === "") this.#root[COUNT] = (this.#root[COUNT] as number) + 1;
    else this.#count(op.ParentId, op.ParentId.length);
  }

  /** How many operations were counted for the context `contextId` ("" or undefined: the handler's). */
  childCount(contextId: string | undefined): number {
    if (contextId === undefined || contextId === "") return this.#root[COUNT] as number;
    const context = this.#context(contextId, contextId.length, false);
    if (context === null) return this.#otherCounts.get(contextId) ?? 0;
    return context === undefined ? 0 : (context[COUNT] as number);
  }

  *values(): IterableIterator<CheckpointedOperation> {
    for (const id of this.#ids) yield this.get(id) as CheckpointedOperation;
  }

  /** The operation `id` as held, in its compact form when it has one (see HeldOperation). */
  held(id: string): HeldOperation | undefined {
    const dash = id.lastIndexOf("-");
    if (dash < 0) {
      const position = positionOf(id, 0, id.length);
      if (position > 0) return ownOf(this.#root[position + 1] as Slot);
      return id === "" ? this.#other.get(id) : ownOf(this.#named.get(id));
    }
    const position = positionOf(id, dash + 1, id.length);
    const context = position > 0 ? this.#context(id, dash, false) : null;
    if (context === null) return this.#other.get(id);
    return context === undefined ? undefined : ownOf(context[position + 1] as Slot);
  }

  #count(id: string, end: number): void {
    const context = this.#context(id, end, true);
    if (context) {
      context[COUNT] = (context[COUNT] as number) + 1;
      return;
    }
    const key = id.slice(0, end);
    this.#otherCounts.set(key, (this.#otherCounts.get(key) ?? 0) + 1);
  }

  /**
   * The context whose id is `id` up to `end`; made (with the contexts on its path) when `create`,
   * else undefined when it has none. Null when that id is no path: it belongs in the Maps.
   */
  #context(id: string, end: number, create: boolean): ContextNode | null | undefined {
    let stop = partEnd(id, 0, end);
    const head = positionOf(id, 0, stop);
    let context: ContextNode | undefined;
    if (head > 0) context = this.#child(this.#root, head, create);
    else if (stop === 0) return null;
    else {
      const key = stop === id.length ? id : id.slice(0, stop);
      const slot = this.#named.get(key);
      if (Array.isArray(slot)) context = slot;
      else if (create) this.#named.set(key, (context = newContext(slot)));
    }
    while (stop < end) {
      const start = stop + 1;
      stop = partEnd(id, start, end);
      const position = positionOf(id, start, stop);
      if (position < 0) return null;
      // Keep reading when the context is missing: a later part may still make the id no path.
      if (context !== undefined) context = this.#child(context, position, create);
    }
    return context;
  }

  /** The context at `position` of `parent`; an operation there becomes one when `create`. */
  #child(parent: ContextNode, position: number, create: boolean): ContextNode | undefined {
    const index = position + 1;
    const slot = parent[index] as Slot;
    if (Array.isArray(slot)) return slot;
    if (!create) return undefined;
    while (parent.length < index) parent.push(undefined);
    const context = newContext(slot);
    parent[index] = context;
    return context;
  }
}

/**
 * A context whose own operation is `own`, with room for two positions. Most contexts are map
 * items or branches with one or two operations: a literal of this length has exactly that room,
 * where pushing the first position onto `[own, 0]` would grow it to room for 19 (about 130 bytes
 * more per context, held to the invocation's end). Empty slots read as no operation.
 */
function newContext(own: Slot): ContextNode {
  return [own, 0, undefined, undefined];
}

function ownOf(slot: Slot): HeldOperation | undefined {
  return Array.isArray(slot) ? (slot[OWN] as HeldOperation | undefined) : slot;
}

/** Where the part of `id` that starts at `start` ends: its next dash, or `end`. */
function partEnd(id: string, start: number, end: number): number {
  const dash = id.indexOf("-", start);
  return dash < 0 || dash > end ? end : dash;
}

/**
 * The position `id` holds from `start` to `end`, or -1 when that is no plain position: empty,
 * zero or with a leading zero (`01` must not find `1`), not all digits, or too large.
 */
function positionOf(id: string, start: number, end: number): number {
  const length = end - start;
  if (length < 1 || length > 8 || id.charCodeAt(start) === 48) return -1;
  let position = 0;
  for (let i = start; i < end; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    position = position * 10 + digit;
  }
  return position <= MAX_POSITION ? position : -1;
}
