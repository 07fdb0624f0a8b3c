import { inHandler, runRule } from "../test-support/rule-tester.js";
import { noFloatingDurablePromises } from "./no-floating-durable-promises.js";

runRule("no-floating-durable-promises", noFloatingDurablePromises, {
  valid: [
    inHandler(`await ctx.step("a", async () => 1);`),
    inHandler(`return ctx.step("a", async () => 1);`),
    inHandler(`const p = ctx.step(async () => 1);\nawait p;`),
    inHandler(`const a = ctx.step(async () => 1);\nconst b = ctx.wait({ seconds: 1 });\nawait ctx.promise.all([a, b]);`),
    inHandler(`await Promise.all([ctx.step(async () => 1), ctx.wait({ seconds: 1 })]);`),
    inHandler(`await ctx.map(event.items, (c, v) => c.step(async () => v));`),
    inHandler(`const total = await ctx.step(async () => 1).then((n) => n + 1);`),
    inHandler(`const [callback, callbackId] = await ctx.createCallback("approval");\nawait ctx.step(async () => send(callbackId));\nreturn callback;`),
    // Assigned to an existing variable and awaited later.
    inHandler(`let pending;\npending = ctx.wait({ seconds: 1 });\nawait pending;`),
    // Not durable operations.
    inHandler(`ctx.logger.info("started");\nctx.configureLogger({});`),
    `const queue = { wait: async () => {} };\nqueue.wait();`,
  ],
  invalid: [
    {
      code: inHandler(`ctx.wait("pause", { seconds: 5 });`),
      errors: [
        {
          message:
            "`ctx.wait` is not awaited. An operation nobody awaits can still be running when the handler returns, and its failure is lost. Write `await ctx.wait(...)`, return it, or pass it to `ctx.promise.all([...])`.",
          line: 3,
        },
      ],
    },
    { code: inHandler(`void ctx.step(async () => 1);`), errors: [{ messageId: "floating", data: { operation: "ctx.step", context: "ctx" } }] },
    {
      code: inHandler(`ctx.step(async () => 1).then((n) => console.log(n));`),
      errors: [{ messageId: "floating", data: { operation: "ctx.step", context: "ctx" } }],
    },
    {
      code: inHandler(`const a = ctx.step(async () => 1);\nconst b = ctx.step(async () => 2);\nctx.promise.all([a, b]);`),
      errors: [{ messageId: "floating", data: { operation: "ctx.promise.all", context: "ctx" } }],
    },
    { code: inHandler(`ctx.invoke("billing", { id: 1 });`), errors: [{ messageId: "floating", data: { operation: "ctx.invoke", context: "ctx" } }] },
    {
      code: inHandler(`await ctx.map(event.items, async (c, v) => { c.step(async () => v); });`),
      errors: [{ messageId: "floating", data: { operation: "c.step", context: "c" } }],
    },
    {
      code: inHandler(`const pause = ctx.wait({ seconds: 5 });\nreturn "done";`),
      errors: [
        {
          message:
            "`ctx.wait` is stored in `pause`, which is never read. Await `pause` or pass it to `ctx.promise.all([...])` before the handler returns.",
        },
      ],
    },
    {
      code: `import type { DurableContext } from "@cairn/sdk";\nexport async function run(ctx: DurableContext) { ctx.runInChildContext(async (child) => child.step(async () => 1)); }`,
      errors: [{ messageId: "floating", data: { operation: "ctx.runInChildContext", context: "ctx" } }],
    },
  ],
});
