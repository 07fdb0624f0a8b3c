import { inHandler, runRule } from "../test-support/rule-tester.js";
import { noNestedDurableOperations } from "./no-nested-durable-operations.js";

runRule("no-nested-durable-operations", noNestedDurableOperations, {
  valid: [
    inHandler(`const a = await ctx.step("a", async () => 1);\nawait ctx.wait("pause", { seconds: 1 });`),
    // Each map item uses its own child context, inside and outside its steps' bodies.
    inHandler(`await ctx.map("items", event.items, async (item, value) => item.step("one", async () => value * 2));`),
    inHandler(`await ctx.map(event.items, async (c, v) => { await c.wait({ seconds: 1 }); return c.step(async () => v); });`),
    inHandler(`await ctx.parallel("p", [async (b) => b.step(async () => 1), { name: "two", func: async (b) => b.wait({ seconds: 1 }) }]);`),
    inHandler(`await ctx.runInChildContext("child", async (child) => { await child.step(async () => 1); await child.wait({ seconds: 1 }); });`),
    // A child context nested in a child context uses the innermost one.
    inHandler(`await ctx.runInChildContext(async (a) => a.runInChildContext(async (b) => b.step(async () => 1)));`),
    // Typed helpers are recognised, and use their context correctly.
    `import type { DurableContext } from "@cairn/sdk";\nexport async function workflow(event: unknown, ctx: DurableContext) { await ctx.step(async () => 1); await ctx.wait({ seconds: 1 }); }`,
    // Not a durable context: a plain object's step method and an array's map.
    `const machine = { step: async (f: () => unknown) => f(), wait: async () => {} };\nawait machine.step(async () => machine.wait());`,
    inHandler(`await ctx.step(async () => event.items.map((x: number) => x + 1));`),
    inHandler(`await ctx.waitForCondition("poll", async (state) => ({ done: state.n > 2, n: state.n + 1 }), { initialState: { n: 0, done: false }, waitStrategy: (s) => (s.done ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }) });`),
    // Destructured methods are not followed (documented limit).
    inHandler(`const { step } = ctx;\nawait step(async () => { await ctx.wait({ seconds: 1 }); });`),
    // Logging inside a step body is not a durable operation.
    inHandler(`await ctx.step(async () => { ctx.logger.info("inside"); return 1; });`),
  ],
  invalid: [
    {
      code: inHandler(`await ctx.step("outer", async () => { await ctx.wait({ seconds: 1 }); });`),
      errors: [
        {
          message:
            '`ctx.wait` is called inside the step body "outer". A body runs once and only its result is stored, so a durable operation in it breaks replay. Move `ctx.wait` out of the body into the handler, or group the work with `runInChildContext`.',
          line: 3,
        },
      ],
    },
    {
      code: inHandler(`await ctx.step(async () => ctx.step(async () => 1));`),
      errors: [{ messageId: "insideBody", data: { operation: "ctx.step", container: "step body" } }],
    },
    {
      code: inHandler(`await ctx.waitForCondition("poll", async (s) => { await ctx.step(async () => 1); return s; }, { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) });`),
      errors: [{ messageId: "insideBody", data: { operation: "ctx.step", container: 'waitForCondition check "poll"' } }],
    },
    {
      code: inHandler(`await ctx.waitForCallback("approve", async (id) => { await ctx.invoke("notify", { id }); });`),
      errors: [{ messageId: "insideBody", data: { operation: "ctx.invoke", container: 'waitForCallback submitter "approve"' } }],
    },
    {
      code: inHandler(`await ctx.step(async () => ctx.promise.all([]));`),
      errors: [{ messageId: "insideBody", data: { operation: "ctx.promise.all", container: "step body" } }],
    },
    {
      // A retry strategy runs between attempts, not in replay order.
      code: inHandler(`await ctx.step("charge", async () => 1, { retryStrategy: () => { void ctx.wait({ seconds: 1 }); return { shouldRetry: false }; } });`),
      errors: [{ messageId: "insideBody", data: { operation: "ctx.wait", container: 'options of step "charge"' } }],
    },
    {
      // The map item's own context, inside its own step body: still nested.
      code: inHandler(`await ctx.map(event.items, async (c) => c.step(async () => c.wait({ seconds: 1 })));`),
      errors: [{ messageId: "insideBody", data: { operation: "c.wait", container: "step body" } }],
    },
    {
      code: inHandler(`await ctx.map("items", event.items, async (c, v) => ctx.step(async () => v));`),
      errors: [
        {
          message:
            '`ctx.step` uses the enclosing context `ctx` inside the map callback "items". Call it on the callback\'s own context (`c`), so the operation belongs to the child and replays in order.',
        },
      ],
    },
    {
      code: inHandler(`await ctx.runInChildContext("group", async () => { await ctx.wait({ seconds: 1 }); });`),
      errors: [
        {
          messageId: "outerContextInChild",
          data: {
            operation: "ctx.wait",
            context: "ctx",
            container: 'runInChildContext callback "group"',
            childContext: "add a first parameter, e.g. `async (child) => ...`",
          },
        },
      ],
    },
    {
      code: inHandler(`await ctx.parallel([{ name: "a", func: async (b) => ctx.wait({ seconds: 1 }) }]);`),
      errors: [{ messageId: "outerContextInChild", data: { operation: "ctx.wait", context: "ctx", container: "parallel callback", childContext: "`b`" } }],
    },
    {
      // Recognised by its type; a nested child uses the parent's context.
      code: `import type { DurableContext } from "@cairn/sdk";\nexport async function run(ctx: DurableContext) { await ctx.runInChildContext(async (a) => a.runInChildContext(async (b) => a.step(async () => 1))); }`,
      errors: [{ messageId: "outerContextInChild", data: { operation: "a.step", context: "a", container: "runInChildContext callback", childContext: "`b`" } }],
    },
    {
      // A handler declared apart from withDurableExecution, and a body passed by name.
      code: `import { withDurableExecution } from "@cairn/sdk";\nasync function handle(event, ctx) { const body = async () => { await ctx.wait({ seconds: 1 }); }; return ctx.step("b", body); }\nexport const handler = withDurableExecution(handle);`,
      errors: [{ messageId: "insideBody", data: { operation: "ctx.wait", container: 'step body "b"' } }],
    },
    {
      // A handler typed DurableExecutionHandler, wrapped in another module.
      code: `import type { DurableExecutionHandler } from "@cairn/sdk";\nexport const run: DurableExecutionHandler<{ id: string }, string> = async (event, ctx) => ctx.step(async () => { await ctx.wait({ seconds: 1 }); return event.id; });`,
      errors: [{ messageId: "insideBody", data: { operation: "ctx.wait", container: "step body" } }],
    },
    {
      // Untyped helper: recognised through the option.
      code: `export async function helper(durable) { await durable.step(async () => durable.wait({ seconds: 1 })); }`,
      options: [{ contextNames: ["durable"] }],
      errors: [{ messageId: "insideBody", data: { operation: "durable.wait", container: "step body" } }],
    },
    {
      // An alias keeps the context's identity.
      code: inHandler(`const c = ctx;\nawait c.step(async () => c.wait({ seconds: 1 }));`),
      errors: [{ messageId: "insideBody", data: { operation: "c.wait", container: "step body" } }],
    },
  ],
});
