// The stores group's workloads: what runs, at full size and in the smoke run. Each is one or more
// executions of one of three handlers, written for Cairn in cairn-handlers.mjs and for Restate in
// restate-service.mjs:
//   seq    n sequential steps, each returning its index; the result is their sum
//   map    a map over n items, one step per item; the result is the number of items
//   short  n sequential steps with a durable wait of SHORT_WAIT_SECONDS after the first; the
//          result is the sum of the steps, as for seq. The wait is real time on every store (the
//          memory and file stores run on the system clock, not on skipped time), so every
//          execution lasts at least that long.

/** The wait in each short execution, in seconds (Cairn's ctx.wait takes whole seconds, at least 1). */
export const SHORT_WAIT_SECONDS = 1;

/**
 * @typedef {object} StoreWorkload
 * @property {string} id
 * @property {string} label                 for the table
 * @property {"seq"|"map"|"short"} handler
 * @property {number} executions            started together
 * @property {number} size                  steps per execution (seq, short) or items (map)
 * @property {"msPerStep"|"stepsPerSecond"|"executionsPerSecond"|"ms"} figure   what the table shows
 * @property {"step"|"item"|"execution"} unit   what `vs memory` / `vs Restate` compare the time of
 * @property {"step"|"item"} requestUnit    what DynamoDB requests are counted per: every step of
 *                                          every execution, or every item of the map
 * @property {number} runs                  timed runs at most (median reported); fewer when they
 *                                          pass the time budget, at least one
 */

/** @returns {StoreWorkload[]} */
export function storeWorkloads(smoke) {
  const seq = smoke ? 5 : 200;
  const [wideExecutions, wideSteps] = smoke ? [2, 5] : [20, 200];
  const [manyExecutions, manySteps] = smoke ? [5, 2] : [100, 50];
  const items = smoke ? 10 : 1000;
  const shortExecutions = smoke ? 3 : 500;
  const runs = (full) => (smoke ? 1 : full);
  return [
    { id: `seq-${seq}`, label: `${seq} sequential steps`, handler: "seq", executions: 1, size: seq, figure: "msPerStep", unit: "step", requestUnit: "step", runs: runs(21) },
    {
      id: `conc-${wideExecutions}x${wideSteps}`,
      label: `${wideExecutions} executions × ${wideSteps} steps at once`,
      handler: "seq",
      executions: wideExecutions,
      size: wideSteps,
      figure: "stepsPerSecond",
      unit: "step",
      requestUnit: "step",
      runs: runs(11),
    },
    {
      id: `conc-${manyExecutions}x${manySteps}`,
      label: `${manyExecutions} executions × ${manySteps} steps at once`,
      handler: "seq",
      executions: manyExecutions,
      size: manySteps,
      figure: "stepsPerSecond",
      unit: "step",
      requestUnit: "step",
      runs: runs(11),
    },
    { id: `map-${items}`, label: `map of ${items} items, one step each`, handler: "map", executions: 1, size: items, figure: "ms", unit: "item", requestUnit: "item", runs: runs(11) },
    {
      id: `short-${shortExecutions}`,
      label: `${shortExecutions} short executions at once (3 steps, ${SHORT_WAIT_SECONDS} s wait)`,
      handler: "short",
      executions: shortExecutions,
      size: 3,
      figure: "executionsPerSecond",
      unit: "execution",
      requestUnit: "step",
      runs: runs(7),
    },
  ];
}

/** What a handler returns for `size`, to check every run did the work. */
export function expectedResult(handler, size) {
  return handler === "map" ? size : (size * (size - 1)) / 2;
}

/** How many of `workload.unit` one run of it has (steps, items or executions). */
export function unitsOf(workload) {
  return workload.unit === "execution" ? workload.executions : workload.executions * workload.size;
}

/** How many of `workload.requestUnit` one run of it has (steps or items). */
export function requestUnitsOf(workload) {
  return workload.executions * workload.size;
}
