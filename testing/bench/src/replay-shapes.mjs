// The executions the replay-scaling section replays, in the shapes users build. Each ends in an
// hour-long wait that never comes due, so the invocations after the first replay everything and
// suspend (see replay-worker.mjs).

export const REPLAY_RESULT_PREFIX = "REPLAY_RESULT ";

const WAIT = { seconds: 3600 };

/**
 * @typedef {object} ReplayShape
 * @property {string} what                   one line for the table's legend
 * @property {number[]} sizes                the Ns run by default
 * @property {(n: number) => Function} handler
 */

/** @type {Record<string, ReplayShape>} */
export const REPLAY_SHAPES = {
  steps: {
    what: "N sequential ctx.step calls at the top level, then a wait",
    sizes: [1000, 10_000, 100_000],
    handler: (n) => async (_event, ctx) => {
      for (let i = 0; i < n; i++) await ctx.step(async () => i);
      await ctx.wait(WAIT);
    },
  },
  map: {
    what: "ctx.map over N items, one step each, finished; then a wait (items answer from their checkpoints)",
    sizes: [1000, 10_000, 100_000],
    handler: (n) => {
      const items = Array.from({ length: n }, (_, i) => i);
      return async (_event, ctx) => {
        await ctx.map("items", items, async (item, value) => item.step(async () => value));
        await ctx.wait(WAIT);
      };
    },
  },
  nested: {
    what: "N steps over three nested child contexts, a third in each, the wait at the bottom (all entered)",
    sizes: [1000, 10_000, 100_000],
    handler: (n) => async (_event, ctx) => {
      const steps = async (context) => {
        for (let i = 0; i < Math.floor(n / 3); i++) await context.step(async () => i);
      };
      await ctx.runInChildContext("outer", async (outer) => {
        await steps(outer);
        await outer.runInChildContext("middle", async (middle) => {
          await steps(middle);
          await middle.runInChildContext("inner", async (inner) => {
            await steps(inner);
            await inner.wait(WAIT);
          });
        });
      });
    },
  },
  "map-open": {
    // 100 000 open items take 5–7 s and about 1.8 GB of memory to build: opt in with --sizes.
    what: "ctx.map over N items still open (each a step, then a wait): every item entered and replayed",
    sizes: [1000, 10_000],
    handler: (n) => {
      const items = Array.from({ length: n }, (_, i) => i);
      return async (_event, ctx) => {
        await ctx.map("items", items, async (item, value) => {
          await item.step(async () => value);
          await item.wait(WAIT);
        });
      };
    },
  },
};
