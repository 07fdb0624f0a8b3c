import { describe, expect, it } from "vitest";
import { KeyedSerialQueue } from "./keyed-serial-queue.js";

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("KeyedSerialQueue", () => {
  it("runs work for one key one at a time, in call order, and other keys meanwhile", async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    const first = gate();
    const a1 = queue.run("a", async () => {
      log.push("a1 start");
      await first.promise;
      log.push("a1 end");
      return 1;
    });
    const a2 = queue.run("a", async () => {
      log.push("a2");
      return 2;
    });
    const b = queue.run("b", async () => {
      log.push("b");
      return 3;
    });
    await b;
    expect(log).toEqual(["a1 start", "b"]);
    first.open();
    expect(await Promise.all([a1, a2])).toEqual([1, 2]);
    expect(log).toEqual(["a1 start", "b", "a1 end", "a2"]);
  });

  it("hands a failure to its own caller only; the next work for the key still runs", async () => {
    const queue = new KeyedSerialQueue();
    const failing = queue.run("a", () => Promise.reject(new Error("boom")));
    const next = queue.run("a", async () => "ran");
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ran");
  });
});
