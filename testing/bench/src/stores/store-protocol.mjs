// The lines a store's child process prints for the parent (run-stores.mjs).

/** Followed by the JSON list of processes the child started (`{ what, pid }`), once they are up. */
export const PROCESSES_PREFIX = "STORE_PROCESSES ";
/** Followed by the child's result as JSON, once, at the end. */
export const RESULT_PREFIX = "STORE_RESULT ";
