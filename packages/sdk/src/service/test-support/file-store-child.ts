// A separate process driving a FileExecutionStore, for crash and cross-process tests. Bundled by
// esbuild from the test (see build-child.ts) and run with plain node. Prints one line per event;
// an "ack" line is printed only after the checkpoint call resolved (i.e. is durable).
//
//   loop  <dir> <arn>          begin an invocation, then checkpoint steps forever
//   race  <dir> <arn> <tag> <n> n times: begin, checkpoint one step (ack or stale)
//   fence <dir> <arn>          begin, print "ready", checkpoint a step on each stdin line
//   many  <dir> <arn,arn,...> <tag>  loop on every execution at once (commits share fdatasyncs);
//                              prints "ack <arn> <id>"
//   busy  <dir> <arn> <tag>    begin, then checkpoint without pause until the invocation is
//                              superseded; prints "ack <id>" each time, then "stale <id>" and exits
//   create <dir> <prefix>      start executions named <prefix>-<wave>-<n>, 8 at once (their first
//                              records share fdatasyncs), each then checkpointing two steps;
//                              prints "created <name> <arn>" and "ack <arn> <id>"
import { createInterface } from "node:readline";
import { CheckpointService } from "../checkpoint-service.js";
import { StaleCheckpointTokenError } from "../errors.js";
import { FileExecutionStore } from "../file-store/file-store.js";

const [mode, dir, arn, tag = "x", count = "10"] = process.argv.slice(2);
if (!mode || !dir || !arn) throw new Error("usage: <mode> <dir> <arn> [tag] [count]");
const service = new CheckpointService({ store: new FileExecutionStore(dir) });

function stepDone(id: string) {
  return [
    { Id: id, Type: "STEP" as const, SubType: "Step", Action: "START" as const },
    { Id: id, Type: "STEP" as const, SubType: "Step", Action: "SUCCEED" as const, Payload: JSON.stringify(id) },
  ];
}

async function loop(): Promise<void> {
  const ticket = await service.beginInvocation(arn!);
  let token = ticket.input.CheckpointToken;
  for (let i = 1; ; i++) {
    const id = `${tag}-${i}`;
    const response = await service.checkpoint({ DurableExecutionArn: arn!, CheckpointToken: token, Updates: stepDone(id) });
    token = response.CheckpointToken!;
    process.stdout.write(`ack ${id}\n`);
  }
}

async function race(): Promise<void> {
  for (let i = 1; i <= Number(count); i++) {
    const id = `${tag}-${i}`;
    try {
      const ticket = await service.beginInvocation(arn!);
      await service.checkpoint({ DurableExecutionArn: arn!, CheckpointToken: ticket.input.CheckpointToken, Updates: stepDone(id) });
      process.stdout.write(`ack ${id}\n`);
    } catch (error) {
      if (!(error instanceof StaleCheckpointTokenError)) throw error;
      process.stdout.write(`stale ${id}\n`);
    }
  }
}

async function fence(): Promise<void> {
  const ticket = await service.beginInvocation(arn!);
  let token = ticket.input.CheckpointToken;
  process.stdout.write("ready\n");
  let i = 0;
  for await (const _line of createInterface({ input: process.stdin })) {
    const id = `${tag}-${++i}`;
    try {
      const response = await service.checkpoint({ DurableExecutionArn: arn!, CheckpointToken: token, Updates: stepDone(id) });
      token = response.CheckpointToken!;
      process.stdout.write(`ack ${id}\n`);
    } catch (error) {
      process.stdout.write(`${error instanceof StaleCheckpointTokenError ? "stale" : "error"} ${id} ${String(error)}\n`);
    }
  }
}

async function many(): Promise<void> {
  await Promise.all(
    arn!.split(",").map(async (executionArn) => {
      const ticket = await service.beginInvocation(executionArn);
      let token = ticket.input.CheckpointToken;
      for (let i = 1; ; i++) {
        const id = `${tag}-${i}`;
        const response = await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates: stepDone(id) });
        token = response.CheckpointToken!;
        process.stdout.write(`ack ${executionArn} ${id}\n`);
      }
    }),
  );
}

async function busy(): Promise<void> {
  const ticket = await service.beginInvocation(arn!);
  let token = ticket.input.CheckpointToken;
  for (let i = 1; ; i++) {
    const id = `${tag}-${i}`;
    try {
      const response = await service.checkpoint({ DurableExecutionArn: arn!, CheckpointToken: token, Updates: stepDone(id) });
      token = response.CheckpointToken!;
      process.stdout.write(`ack ${id}\n`);
    } catch (error) {
      if (!(error instanceof StaleCheckpointTokenError)) throw error;
      process.stdout.write(`stale ${id}\n`);
      return;
    }
  }
}

async function create(): Promise<void> {
  const prefix = arn!;
  for (let wave = 1; ; wave++) {
    await Promise.all(
      Array.from({ length: 8 }, async (_, n) => {
        const name = `${prefix}-${wave}-${n}`;
        const { executionArn } = await service.startExecution({ executionName: name, input: JSON.stringify(name) });
        process.stdout.write(`created ${name} ${executionArn}\n`);
        let token = (await service.beginInvocation(executionArn)).input.CheckpointToken;
        for (let i = 1; i <= 2; i++) {
          const id = `${tag}-${i}`;
          const response = await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates: stepDone(id) });
          token = response.CheckpointToken!;
          process.stdout.write(`ack ${executionArn} ${id}\n`);
        }
      }),
    );
  }
}

const modes: Record<string, () => Promise<void>> = { loop, race, fence, many, busy, create };
const run = modes[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
run().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
