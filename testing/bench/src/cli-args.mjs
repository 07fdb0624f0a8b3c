// The bench's command-line flags: `--flag` or `--flag value`, refused with the usage line when unknown.

/**
 * Calls `handle(arg, value)` for each argument; `value()` takes the next argument as the flag's
 * value. `handle` returns false for an argument it does not know, which throws with `usage`.
 */
export function readArgs(argv, usage, handle) {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${usage}`);
      return next;
    };
    if (handle(arg, value) === false) throw new Error(`unknown argument ${arg}\n${usage}`);
  }
}
