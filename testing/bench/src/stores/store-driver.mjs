// The shape every store's driver has, so the workloads are measured once for all of them.

/**
 * @typedef {object} StoreDriver
 * @property {string} name
 * @property {() => string} describe        one line: what runs, and where
 * @property {() => { what: string, pid: number }[]} processes   processes the driver started
 * @property {() => Promise<void>} setup
 * @property {(handler: "seq"|"map"|"short", size: number, count: number) => Promise<unknown[]>} runMany
 *   starts `count` executions of `handler` at once and resolves with their results once all
 *   have completed; rejects when one did not succeed
 * @property {() => { total: number, byCommand: Record<string, number>, idlePolls?: number, idlePollRequests?: number }} [requests]
 *   requests sent to the store so far (DynamoDB), read before and after each run; of them, those
 *   of worker passes that found nothing due (`idlePollRequests`, in `idlePolls` passes)
 * @property {() => Promise<void>} teardown  stops what setup started and removes its files
 * @property {() => number[]} [takeCommitLatencies]  Cairn's in-process stores, when asked to
 *   (`--commit-latency`): the latency of every store update since the last call, in ms
 * @property {boolean} [inProcess]          the store runs in the measuring process (Cairn's memory
 *   and file stores): its main thread's busy time and the CPU time of all its threads are
 *   measured for every run
 */

export {};
