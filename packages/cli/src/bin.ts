#!/usr/bin/env node
import { main } from "./cli.js";

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

const code = await main(process.argv.slice(2));
// Stdout and stderr are asynchronous when they are pipes: exiting at once would cut off what is
// still buffered (e.g. `cairn inspect <id> --json | jq` past 64 KiB). Wait for both, then exit
// explicitly: a handler may leave timers or sockets open that would keep the process alive.
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
