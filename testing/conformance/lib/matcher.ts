// Matching rules of the conformance README:
// - events are paired by EventId; extra actual events are ignored;
// - only expected keys are checked, recursively; lists have the same length, element-wise;
// - '*' accepts any present value; {} is "don't care";
// - ${X} binds X to the actual value the first time and must equal it afterwards;
// - ${/regex/} must match; anything else must be equal.

export type Bindings = Map<string, unknown>;

export interface Mismatch {
  path: string;
  reason: string;
}

const WHOLE_BINDING = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const ANY_BINDING = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const REGEX_TOKEN = /^\$\{\/(.*)\/\}$/s;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}

/** Dates compare as ISO strings; everything else as is. */
function normalize(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function show(value: unknown): string {
  const v = normalize(value);
  if (v === undefined) return "<absent>";
  try {
    const text = JSON.stringify(v);
    return text.length > 200 ? `${text.slice(0, 200)}…(${text.length} chars)` : text;
  } catch {
    return String(v);
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  a = normalize(a);
  b = normalize(b);
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A string of literal text and `${X}` bindings, e.g. `order-${ID}`: matched as a regex, binding groups. */
function matchTemplate(template: string, actual: unknown, path: string, bindings: Bindings, out: Mismatch[]): void {
  if (typeof actual !== "string") {
    out.push({ path, reason: `expected a string like ${show(template)}, got ${show(actual)}` });
    return;
  }
  const names: string[] = [];
  let pattern = "^";
  let last = 0;
  for (const m of template.matchAll(ANY_BINDING)) {
    const name = m[1] as string;
    pattern += escapeRegex(template.slice(last, m.index));
    if (bindings.has(name)) pattern += escapeRegex(String(normalize(bindings.get(name))));
    else if (names.includes(name)) pattern += `\\k<g${names.indexOf(name)}>`;
    else {
      pattern += `(?<g${names.length}>.*?)`;
      names.push(name);
    }
    last = (m.index ?? 0) + m[0].length;
  }
  pattern += `${escapeRegex(template.slice(last))}$`;
  const found = new RegExp(pattern, "s").exec(actual);
  if (!found) {
    out.push({ path, reason: `expected ${show(template)} (bindings ${showBindings(template, bindings)}), got ${show(actual)}` });
    return;
  }
  names.forEach((name, i) => bindings.set(name, found.groups?.[`g${i}`]));
}

function showBindings(template: string, bindings: Bindings): string {
  const parts = [...template.matchAll(ANY_BINDING)].map((m) => m[1] as string);
  return parts.map((p) => `${p}=${bindings.has(p) ? show(bindings.get(p)) : "unbound"}`).join(", ");
}

/** Matches one expected value (from YAML) against the actual value, recording mismatches. */
export function matchValue(expected: unknown, actual: unknown, path: string, bindings: Bindings, out: Mismatch[]): void {
  if (expected === "*") {
    if (actual === undefined) out.push({ path, reason: "expected a value ('*'), got <absent>" });
    return;
  }
  if (typeof expected === "string") {
    const regex = REGEX_TOKEN.exec(expected);
    if (regex) {
      const value = normalize(actual);
      if (value === undefined || value === null || typeof value === "object" || !new RegExp(regex[1] as string).test(String(value))) {
        out.push({ path, reason: `expected to match /${regex[1]}/, got ${show(actual)}` });
      }
      return;
    }
    const whole = WHOLE_BINDING.exec(expected);
    if (whole) {
      const name = whole[1] as string;
      if (!bindings.has(name)) {
        bindings.set(name, normalize(actual));
      } else if (!deepEqual(bindings.get(name), actual)) {
        out.push({ path, reason: `expected \${${name}} = ${show(bindings.get(name))}, got ${show(actual)}` });
      }
      return;
    }
    if (ANY_BINDING.test(expected)) {
      ANY_BINDING.lastIndex = 0;
      matchTemplate(expected, actual, path, bindings, out);
      return;
    }
    if (normalize(actual) !== expected) out.push({ path, reason: `expected ${show(expected)}, got ${show(actual)}` });
    return;
  }
  if (expected === null) {
    if (actual !== null && actual !== undefined) out.push({ path, reason: `expected null, got ${show(actual)}` });
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push({ path, reason: `expected a list of ${expected.length}, got ${show(actual)}` });
      return;
    }
    if (actual.length !== expected.length) {
      out.push({ path, reason: `expected a list of ${expected.length}, got ${actual.length}: ${show(actual)}` });
      return;
    }
    expected.forEach((e, i) => matchValue(e, actual[i], `${path}[${i}]`, bindings, out));
    return;
  }
  if (isPlainObject(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 0) return; // {} = don't care
    if (!isPlainObject(actual)) {
      out.push({ path, reason: `expected an object with ${keys.join(", ")}, got ${show(actual)}` });
      return;
    }
    for (const key of keys) matchValue(expected[key], actual[key], path ? `${path}.${key}` : key, bindings, out);
    return;
  }
  if (!deepEqual(expected, actual)) out.push({ path, reason: `expected ${show(expected)}, got ${show(actual)}` });
}

export interface EventLike {
  EventId?: unknown;
  EventType?: unknown;
  [key: string]: unknown;
}

/** Pairs expected events with actual ones by EventId and matches each. */
export function matchHistory(
  expected: readonly Record<string, unknown>[],
  actual: readonly EventLike[],
  bindings: Bindings = new Map(),
): Mismatch[] {
  const out: Mismatch[] = [];
  const byId = new Map<number, EventLike>();
  for (const event of actual) byId.set(Number(event.EventId), event);
  for (const event of expected) {
    const id = Number(event.EventId);
    const path = `event ${id} (${String(event.EventType)})`;
    const found = byId.get(id);
    if (!found) {
      out.push({ path, reason: `no actual event with EventId ${id} (actual has ${actual.length} events)` });
      continue;
    }
    const before = out.length;
    matchValue(event, found, path, bindings, out);
    if (out.length > before && event.EventType !== found.EventType) {
      // A different event type at this position usually explains the other differences.
      out.splice(before, out.length - before, {
        path,
        reason: `expected ${String(event.EventType)}, got ${String(found.EventType)} ${summarizeEvent(found)}`,
      });
    }
  }
  return out;
}

export function summarizeEvent(event: EventLike): string {
  const parts = [`#${String(event.EventId)}`, String(event.EventType)];
  if (event.SubType) parts.push(String(event.SubType));
  if (event.Id) parts.push(`id=${String(event.Id)}`);
  if (event.ParentId) parts.push(`parent=${String(event.ParentId)}`);
  if (event.Name) parts.push(`name=${String(event.Name)}`);
  return parts.join(" ");
}

const SLASHED_REGEX = /^\/(.*)\/([a-z]*)$/s;

/** A `/re/flags` string as a RegExp; a leading `(?i)` (not JavaScript syntax) becomes the `i` flag. */
function slashedRegex(text: string): RegExp | undefined {
  const slashed = SLASHED_REGEX.exec(text);
  if (!slashed) return undefined;
  let source = slashed[1] as string;
  let flags = slashed[2] ?? "";
  if (source.startsWith("(?i)")) {
    source = source.slice(4);
    if (!flags.includes("i")) flags += "i";
  }
  return new RegExp(source, flags);
}

function recordMatches(match: Record<string, unknown>, record: Record<string, unknown>, bindings: Bindings): boolean {
  return Object.entries(match).every(([key, want]) => {
    const got = record[key];
    if (typeof want === "string") {
      const regex = slashedRegex(want);
      if (regex) return got !== undefined && got !== null && typeof got !== "object" && regex.test(String(got));
    }
    const scratch: Mismatch[] = [];
    matchValue(want, got, key, new Map(bindings), scratch);
    return scratch.length === 0;
  });
}

/** Counts log records matching every field of `match`; `/re/` strings are regexes. */
export function countMatchingLogs(
  match: Record<string, unknown>,
  records: readonly Record<string, unknown>[],
  bindings: Bindings,
): number {
  return records.filter((record) => recordMatches(match, record, bindings)).length;
}

export interface LogRule {
  match: Record<string, unknown>;
  /** Exactly this many matching records. */
  count?: number;
  /** At least this many (without count or min_count: at least one). */
  min_count?: number;
  /** Every matching record comes after a record matching each of these. */
  after?: Record<string, unknown>[];
}

/** Checks ExpectedLogs rules against the records, in the order they were written. */
export function matchLogs(expected: readonly LogRule[], records: readonly Record<string, unknown>[], bindings: Bindings): Mismatch[] {
  const out: Mismatch[] = [];
  expected.forEach((rule, i) => {
    const path = `logs[${i}] ${JSON.stringify(rule.match)}`;
    const positions: number[] = [];
    records.forEach((record, index) => {
      if (recordMatches(rule.match, record, bindings)) positions.push(index);
    });
    const count = positions.length;
    if (rule.count !== undefined ? count !== rule.count : count < (rule.min_count ?? 1)) {
      const want = rule.count !== undefined ? `${rule.count}` : `at least ${rule.min_count ?? 1}`;
      out.push({ path, reason: `expected ${want} matching record(s), got ${count}` });
    }
    for (const earlier of rule.after ?? []) {
      const first = records.findIndex((record) => recordMatches(earlier, record, bindings));
      const early = positions.filter((p) => first === -1 || p < first);
      if (early.length > 0) {
        out.push({
          path,
          reason:
            first === -1
              ? `expected after ${JSON.stringify(earlier)}, which never appears`
              : `expected after ${JSON.stringify(earlier)} (record ${first}), but record ${early[0]} comes before it`,
        });
      }
    }
  });
  return out;
}

/**
 * Skipping time may change timestamps, never the sequence of events or invocations. Compares a
 * real-time run with the skipped-time run of the same requirement. `unordered` is for vectors
 * whose branches run concurrently, where only the set of events is fixed.
 */
export function compareSequences(
  skipped: readonly string[],
  real: readonly string[],
  options: { realStoppedEarly: boolean; unordered: boolean },
): string[] {
  const a = options.realStoppedEarly ? skipped.slice(0, real.length) : [...skipped];
  const b = [...real];
  if (options.unordered) {
    a.sort();
    b.sort();
  }
  if (a.length === b.length && a.every((x, i) => x === b[i])) return [];
  const at = a.findIndex((x, i) => x !== b[i]);
  const i = at === -1 ? Math.min(a.length, b.length) : at;
  return [
    `real time and skipped time differ at event ${i + 1}: skipped-time ${a[i] ?? "<end>"}, real-time ${b[i] ?? "<end>"}` +
      ` (${a.length} vs ${b.length} events)`,
  ];
}
