// A mark on the functions withDurableExecution returns, so a runner can refuse a module whose
// export is some other function before it starts an execution for it. A registered symbol (not a
// module-local one) so the mark reads the same through the ESM and CJS builds and through two
// installed copies of the SDK.
export const DURABLE_HANDLER_MARK: unique symbol = Symbol.for("cairn.durableHandler");

/** Marks `handler` as returned by withDurableExecution (non-enumerable, read-only). */
export function markDurableHandler<F extends (...args: never[]) => unknown>(handler: F): F {
  Object.defineProperty(handler, DURABLE_HANDLER_MARK, { value: true });
  return handler;
}
