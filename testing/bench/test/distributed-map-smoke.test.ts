// The distributed-map group with a tiny size (`node run.mjs distributed-map --items 400 ...`): every
// store runs the map to its end with the counts right (the group throws otherwise), prints a
// figure, and DynamoDB prints its requests per item. Timing is not checked: the full run prints
// the figures, never asserts them.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
/** The smoke run takes about 20 s (DynamoDB Local's start included); past this it is stuck. */
const SMOKE_LIMIT_MS = 150_000;

it("runs the distributed-map group on the memory, file and DynamoDB Local stores", async () => {
  const child = spawn(process.execPath, ["run.mjs", "distributed-map", "--items", "400", "--children", "4", "--runs", "1"], {
    cwd: benchDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), SMOKE_LIMIT_MS);
  const code = await new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  expect(code, `the distributed-map group exited ${code} (killed after ${SMOKE_LIMIT_MS / 1000} s if null); it printed:\n${output}`).toBe(0);

  const rows = new Map(
    output
      .split("\n")
      .map((line) => line.trim().split(/\s{2,}/))
      .filter((cells) => ["memory", "file", "dynamodb"].includes(cells[0] ?? ""))
      .map((cells) => [cells[0]!, cells]),
  );
  expect([...rows.keys()].sort()).toEqual(["dynamodb", "file", "memory"]);
  for (const [store, cells] of rows) {
    expect(Number(cells[1]), `${store}: items/s`).toBeGreaterThan(0);
    // The parent: the map's context and plan, four operations per child.
    expect(cells[3], `${store}: parent operations`).toBe(String(2 + 4 * 4));
  }
  expect(Number(rows.get("dynamodb")![4]), "dynamodb: requests per item").toBeGreaterThan(0);
  expect(rows.get("memory")![4]).toBe("-");
}, SMOKE_LIMIT_MS + 30_000);
