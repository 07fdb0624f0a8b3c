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

  it("starts work for an idle key inside run, and queues work a running one adds for its key", async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    let inner: Promise<string> | undefined;
    const outer = queue.run("a", async () => {
      log.push("outer start");
      // Same key, from inside the running work: it must wait, not run inside this one.
      inner = queue.run("a", async () => {
        log.push("inner");
        return "inner";
      });
      await Promise.resolve();
      log.push("outer end");
      return "outer";
    });
    expect(log).toEqual(["outer start"]);
    expect(await outer).toBe("outer");
    expect(await inner).toBe("inner");
    expect(log).toEqual(["outer start", "outer end", "inner"]);
  });

  it("turns work that throws before returning a promise into a rejection, and the key carries on", async () => {
    const queue = new KeyedSerialQueue();
    const throwing = queue.run("a", (() => {
      throw new Error("sync boom");
    }) as () => Promise<never>);
    await expect(throwing).rejects.toThrow("sync boom");
    await expect(queue.run("a", async () => "after")).resolves.toBe("after");
  });

  it("starts queued work once the work ahead of it settles, whether it resolved or rejected", async () => {
    const queue = new KeyedSerialQueue();
    const first = gate();
    const order: string[] = [];
    const a = queue.run("k", async () => {
      await first.promise;
      order.push("a");
      throw new Error("a failed");
    });
    const b = queue.run("k", async () => {
      order.push("b");
      return "b";
    });
    const c = queue.run("k", async () => {
      order.push("c");
      return "c";
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    first.open();
    await expect(a).rejects.toThrow("a failed");
    expect(await Promise.all([b, c])).toEqual(["b", "c"]);
    expect(order).toEqual(["a", "b", "c"]);
    // The key is idle again: new work starts at once.
    let started = false;
    const d = queue.run("k", async () => {
      started = true;
    });
    expect(started).toBe(true);
    await d;
  });
});
