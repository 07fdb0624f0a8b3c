import { randomInt } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

// The vectors are test data that live beside the repository (never copied into it):
// <repo>/../shared/conformance/requirements/<category>/<id>.yaml
const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
export const DEFAULT_REQUIREMENTS_DIR = resolve(REPO_ROOT, "../shared/conformance/requirements");

/** Categories this suite covers; the others need callbacks, invokes or plugins. */
export const COVERED_CATEGORIES = ["step", "wait", "child", "parallel", "map", "wait_for_condition", "invoke", "plugin", "callback", "wait_for_callback"] as const;

export interface ExpectedLog {
  /** Record fields to match: `/regex/` strings are regexes, `${X}` are bindings, else equality. */
  match: Record<string, unknown>;
  count?: number;
  min_count?: number;
  /** Matching records must come after a record matching each of these. */
  after?: Record<string, unknown>[];
}

export interface ExpectedResult {
  ExecutionStatus?: string;
  /** Absent or empty in the YAML means the handler returns null/undefined. */
  Result?: unknown;
}

export interface Requirement {
  /** `<category>/<id>`, e.g. `step/1-1`. */
  key: string;
  category: string;
  id: string;
  file: string;
  description: string;
  optional: boolean;
  /** The vector asserts only what happens up to a suspension (e.g. a one-hour wait). */
  asyncInvoke: boolean;
  variables: Record<string, string>;
  input: unknown;
  expectedResult: ExpectedResult | undefined;
  /** History with Variables substituted; other `${X}` tokens are bindings for the matcher. */
  expectedHistory: Record<string, unknown>[];
  expectedLogs: ExpectedLog[];
  callbackActions: unknown[];
}

const GENERATOR = /^\$\{GEN_STR:(\d+)\}$/;
const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function generateString(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** Resolves `Variables` once: generators (`${GEN_STR:8}`) run, references to earlier variables expand. */
export function resolveVariables(raw: unknown): Record<string, string> {
  const vars: Record<string, string> = {};
  if (raw === null || raw === undefined) return vars;
  if (typeof raw !== "object" || Array.isArray(raw)) throw new Error("Variables must be a mapping");
  for (const [name, spec] of Object.entries(raw as Record<string, unknown>)) {
    const text = String(spec);
    const generator = GENERATOR.exec(text);
    vars[name] = generator ? generateString(Number(generator[1])) : substituteString(text, vars);
  }
  return vars;
}

const TOKEN = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${NAME}` for every NAME in `vars`; other tokens (bindings, regexes) are kept. */
export function substituteString(text: string, vars: Record<string, string>): string {
  return text.replace(TOKEN, (whole, name: string) => (Object.hasOwn(vars, name) ? (vars[name] as string) : whole));
}

/** Deep copy of a YAML value with variables substituted in every string. */
export function substitute<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === "string") return substituteString(value, vars) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => substitute(v, vars)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = substitute(v, vars);
    return out as T;
  }
  return value;
}

/** Parses one requirement file; Variables are generated afresh on every call. */
export function loadRequirement(file: string, category: string): Requirement {
  const text = readFileSync(file, "utf8");
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  if (docs.length !== 1) throw new Error(`${file}: expected exactly one YAML document, found ${docs.length}`);
  const doc = docs[0]!;
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
  const data = doc.toJS() as Record<string, unknown>;
  const id = file.replace(/^.*[\\/]/, "").replace(/\.ya?ml$/, "");
  const vars = resolveVariables(data.Variables);

  const expectedResult =
    data.ExpectedResult === undefined || data.ExpectedResult === null
      ? undefined
      : substitute(data.ExpectedResult as ExpectedResult, vars);
  const history = (data.ExpectedExecutionHistory ?? []) as Record<string, unknown>[];
  const logs = (data.ExpectedLogs ?? []) as ExpectedLog[];

  return {
    key: `${category}/${id}`,
    category,
    id,
    file,
    description: String(data.description ?? ""),
    optional: data.optional === true,
    asyncInvoke: data.AsyncInvoke === true,
    variables: vars,
    input: substitute(data.Input ?? null, vars),
    expectedResult,
    expectedHistory: substitute(history, vars),
    expectedLogs: substitute(logs, vars),
    callbackActions: substitute((data.CallbackActions ?? []) as unknown[], vars),
  };
}

/** Sorts ids like `1-2`, `1-10` numerically. */
function compareIds(a: string, b: string): number {
  const pa = a.split("-").map(Number);
  const pb = b.split("-").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

export interface RequirementFile {
  key: string;
  category: string;
  id: string;
  file: string;
}

export function listRequirementFiles(
  dir: string = process.env.CAIRN_CONFORMANCE_DIR ?? DEFAULT_REQUIREMENTS_DIR,
  categories: readonly string[] = COVERED_CATEGORIES,
): RequirementFile[] {
  const out: RequirementFile[] = [];
  for (const category of categories) {
    const files = readdirSync(join(dir, category)).filter((f) => /\.ya?ml$/.test(f));
    const ids = files.map((f) => f.replace(/\.ya?ml$/, "")).sort(compareIds);
    for (const id of ids) {
      const name = files.find((f) => f.replace(/\.ya?ml$/, "") === id)!;
      out.push({ key: `${category}/${id}`, category, id, file: join(dir, category, name) });
    }
  }
  return out;
}
