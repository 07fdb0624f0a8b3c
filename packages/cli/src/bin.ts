#!/usr/bin/env node
import { main } from "./cli.js";

const code = await main(process.argv.slice(2));
// Exit explicitly: a handler may leave timers or sockets open that would keep the process alive.
process.exit(code);
