// The stores group's workloads: what runs, at full size and in the smoke run. Each is one or more
// executions of one of two handlers, written for Cairn in cairn-handlers.mjs and for Restate in
// restate-service.mjs:
//   seq  n sequential steps, each returning its index; the result is their sum
//   map  a map over n items, one step per item; the result is the number of items

/**
 * @typedef {object} StoreWorkload
 * @property {string} id
 * @property {string} label                 for the table
 * @property {"seq"|"map"} handler
 * @property {number} executions            started together
 * @property {number} size                  steps per execution (seq) or items (map)
 * @property {"msPerStep"|"stepsPerSecond"|"ms"} figure   what the table shows
 * @property {number} runs                  timed runs at most (median reported); fewer when they
 *                                          pass the time budget, at least one
 */

/** @returns {StoreWorkload[]} */
export function storeWorkloads(smoke) {
  const seq = smoke ? 5 : 200;
  const [wideExecutions, wideSteps] = smoke ? [2, 5] : [20, 200];
  const [manyExecutions, manySteps] = smoke ? [5, 2] : [100, 50];
  const items = smoke ? 10 : 1000;
  const runs = (full) => (smoke ? 1 : full);
  return [
    { id: `seq-${seq}`, label: `${seq} sequential steps`, handler: "seq", executions: 1, size: seq, figure: "msPerStep", runs: runs(21) },
    {
      id: `conc-${wideExecutions}x${wideSteps}`,
      label: `${wideExecutions} executions × ${wideSteps} steps at once`,
      handler: "seq",
      executions: wideExecutions,
      size: wideSteps,
      figure: "stepsPerSecond",
      runs: runs(11),
    },
    {
      id: `conc-${manyExecutions}x${manySteps}`,
      label: `${manyExecutions} executions × ${manySteps} steps at once`,
      handler: "seq",
      executions: manyExecutions,
      size: manySteps,
      figure: "stepsPerSecond",
      runs: runs(11),
    },
    { id: `map-${items}`, label: `map of ${items} items, one step each`, handler: "map", executions: 1, size: items, figure: "ms", runs: runs(11) },
  ];
}

/** What a handler returns for `size`, to check every run did the work. */
export function expectedResult(handler, size) {
  return handler === "seq" ? (size * (size - 1)) / 2 : size;
}
