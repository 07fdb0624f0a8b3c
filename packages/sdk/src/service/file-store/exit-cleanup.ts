// What a file store holds between writes (execution locks, an open write-ahead log) is let go of
// by timers, which never keep a process alive. A process that ends normally before they fire
// would leave its lock files behind, costing the next process a recovery; so holders register
// here and clean up synchronously in 'exit'. A process killed with SIGKILL leaves them: that is
// what recovery is for.

/** Something to let go of synchronously when the process exits. */
export interface ExitCleanup {
  closeSync(): void;
}

const registered = new Set<ExitCleanup>();
let hooked = false;

function runAll(): void {
  for (const item of registered) {
    try {
      item.closeSync();
    } catch {
      // best effort: whatever is left is recovered by the next process
    }
  }
  registered.clear();
}

export function onExit(item: ExitCleanup): void {
  if (!hooked) {
    hooked = true;
    process.once("exit", runAll);
  }
  registered.add(item);
}

export function offExit(item: ExitCleanup): void {
  registered.delete(item);
}
