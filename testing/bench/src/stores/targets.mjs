// The stores group's targets, each judged against one figure of one store (printed beside it and
// in a table of their own; never asserted):
//   file store   ≤ 2× fdatasync per sequential step (the single-execution seq workload);
//                throughput within 2× of the memory store's when several executions run at once;
//                ahead of Restate (less time per step / item / execution) on every workload
//   DynamoDB     ≤ 1.1 requests per step of sequential steps (every seq workload);
//                ≤ 0.05 requests per item of a map whose items are started together
// Short executions have no request target: their figure per step includes the start, the wait
// and the wake-up.
import { fmt } from "./format.mjs";

/**
 * @typedef {object} Target
 * @property {string} name       short, for the stores table's column
 * @property {string} limit
 * @property {string} measured
 * @property {boolean | undefined} met   undefined when a figure it needs is missing
 */

export const verdict = (met) => (met === undefined ? "n/a" : met ? "met" : "not met");

/**
 * `value` as the tables print figures, with more digits when that would read as the limit it is
 * judged against (1.105 requests per step, not met, must not print as "1.10" beside "≤ 1.1").
 */
export function fmtBeside(value, limit) {
  const text = fmt(value);
  if (value === undefined || value === limit || Number(text) !== limit) return text;
  for (let digits = 4; digits <= 8; digits++) {
    const precise = String(Number(value.toPrecision(digits)));
    if (Number(precise) !== limit) return precise;
  }
  return String(value);
}

/**
 * The targets on `store`'s figure for `workload`.
 * @param {(store: string) => { msPerUnit: number, figure: number, requests?: { perUnit: number } } | undefined} resultOf
 *   the workload's result on a store, undefined when it has none
 * @returns {Target[]}
 */
export function targetsOf(workload, store, resultOf, fdatasyncMs) {
  const own = resultOf(store);
  const targets = [];
  if (store === "file") {
    if (workload.handler === "seq" && workload.executions === 1) {
      const multiple = own && fdatasyncMs > 0 ? own.msPerUnit / fdatasyncMs : undefined;
      targets.push({ name: "≤ 2× fdatasync", limit: "≤ 2× fdatasync per step", measured: multiple === undefined ? "-" : `${fmtBeside(multiple, 2)}×`, met: multiple === undefined ? undefined : multiple <= 2 });
    }
    if (workload.executions > 1) {
      const memory = resultOf("memory");
      const share = own && memory ? memory.msPerUnit / own.msPerUnit : undefined;
      targets.push({ name: "≥ ½ memory", limit: "≥ ½ of the memory store's throughput", measured: share === undefined ? "-" : `${fmtBeside(share, 0.5)} of memory`, met: share === undefined ? undefined : share >= 0.5 });
    }
    const restate = resultOf("restate");
    const vs = own && restate ? own.msPerUnit / restate.msPerUnit : undefined;
    targets.push({ name: "ahead of Restate", limit: "< 1× Restate's time", measured: vs === undefined ? "-" : `${fmtBeside(vs, 1)}× Restate`, met: vs === undefined ? undefined : vs < 1 });
  }
  if (store === "dynamodb") {
    const perUnit = own?.requests?.perUnit;
    const limit = workload.handler === "seq" ? 1.1 : workload.handler === "map" ? 0.05 : undefined;
    if (limit !== undefined) {
      const per = workload.requestUnit;
      targets.push({ name: `≤ ${limit} req/${per}`, limit: `≤ ${limit} requests per ${per}`, measured: fmtBeside(perUnit, limit), met: perUnit === undefined ? undefined : perUnit <= limit });
    }
  }
  return targets;
}

/** The stores table's cell: each target with its verdict. */
export function targetCell(targets) {
  return targets.map((t) => `${t.name}: ${verdict(t.met)}`).join("; ");
}
