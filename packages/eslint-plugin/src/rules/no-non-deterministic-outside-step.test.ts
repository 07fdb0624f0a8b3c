import { inHandler, runRule } from "../test-support/rule-tester.js";
import { noNonDeterministicOutsideStep } from "./no-non-deterministic-outside-step.js";

runRule("no-non-deterministic-outside-step", noNonDeterministicOutsideStep, {
  valid: [
    inHandler(`const now = await ctx.step("now", async () => Date.now());`),
    inHandler(`const id = await ctx.step(async () => { const d = new Date(); return \`\${d.toISOString()}-\${Math.random()}\`; });`),
    inHandler(`const at = new Date(event.createdAt);\nawait ctx.wait({ seconds: 1 });`),
    inHandler(`const state = await ctx.waitForCondition("poll", async (s) => ({ ...s, at: performance.now() }), { initialState: { at: 0 }, waitStrategy: () => ({ shouldContinue: false }) });`),
    inHandler(`await ctx.waitForCallback("approve", async (id) => { await send(id, crypto.randomUUID()); });`),
    // A retry strategy's jitter runs between attempts, not on replay.
    inHandler(`await ctx.step("x", async () => 1, { retryStrategy: () => ({ shouldRetry: true, delay: { seconds: 1 + Math.floor(Math.random() * 3) } }) });`),
    // Outside any handler: module setup and plain helpers are not replayed.
    `const startedAt = Date.now();\nexport function stamp() { return new Date().toISOString(); }`,
    // A helper that reads the clock, called inside a step.
    `import { withDurableExecution } from "@cairn/sdk";\nconst stamp = () => Date.now();\nexport const handler = withDurableExecution(async (event, ctx) => ctx.step(async () => stamp()));`,
    // A plain function named like the clock, and a local variable called Math.
    inHandler(`const clock = { now: () => 1 };\nconst t = clock.now();`),
    // Passed as a value inside a step body.
    inHandler(`const noise = await ctx.step(async () => event.items.map(Math.random));`),
  ],
  invalid: [
    {
      code: inHandler(`const started = Date.now();`),
      errors: [
        {
          message:
            '`Date.now()` in handler code gives another value on replay, so the handler can take another path. Compute it inside a step, e.g. `const value = await ctx.step("now", async () => Date.now())`, and use the stored result.',
          line: 3,
        },
      ],
    },
    { code: inHandler(`const d = new Date();`), errors: [{ messageId: "outsideStep", data: { operation: "new Date()", suggestion: "now" } }] },
    { code: inHandler(`const s = Date();`), errors: [{ messageId: "outsideStep", data: { operation: "Date()", suggestion: "now" } }] },
    { code: inHandler(`if (Math.random() > 0.5) await ctx.wait({ seconds: 1 });`), errors: [{ messageId: "outsideStep", data: { operation: "Math.random()", suggestion: "random" } }] },
    {
      code: inHandler(`const id = crypto.randomUUID();\nconst bytes = crypto.getRandomValues(new Uint8Array(4));\nconst t = performance.now();\nconst h = process.hrtime();\nconst b = process.hrtime.bigint();`),
      errors: [
        { messageId: "outsideStep", data: { operation: "crypto.randomUUID()", suggestion: "random" } },
        { messageId: "outsideStep", data: { operation: "crypto.getRandomValues()", suggestion: "random" } },
        { messageId: "outsideStep", data: { operation: "performance.now()", suggestion: "now" } },
        { messageId: "outsideStep", data: { operation: "process.hrtime()", suggestion: "now" } },
        { messageId: "outsideStep", data: { operation: "process.hrtime.bigint()", suggestion: "now" } },
      ],
    },
    {
      code: `import { v4 } from "uuid";\nimport { randomUUID } from "node:crypto";\nimport { withDurableExecution } from "@cairn/sdk";\nexport const handler = withDurableExecution(async (event, ctx) => { const a = v4(); const b = randomUUID(); });`,
      errors: [
        { messageId: "outsideStep", data: { operation: "v4()", suggestion: "random" } },
        { messageId: "outsideStep", data: { operation: "randomUUID()", suggestion: "random" } },
      ],
    },
    {
      // Map items and branches are handler code too; an inner arrow of the handler as well.
      code: inHandler(`await ctx.map(event.items, async (c, v) => (Math.random() > 0.5 ? c.step(async () => v) : null));\nconst ids = event.items.map(() => Math.random());`),
      errors: [
        { messageId: "outsideStep", data: { operation: "Math.random()", suggestion: "random" } },
        { messageId: "outsideStep", data: { operation: "Math.random()", suggestion: "random" } },
      ],
    },
    {
      code: `import type { DurableContext } from "@cairn/sdk";\nexport async function workflow(event: unknown, ctx: DurableContext) { const deadline = Date.now() + 1000; await ctx.wait({ seconds: 1 }); return deadline; }`,
      errors: [{ messageId: "outsideStep", data: { operation: "Date.now()", suggestion: "now" } }],
    },
    {
      // A same-file helper, two calls deep.
      code: `import { withDurableExecution } from "@cairn/sdk";\nfunction nonce() { return Math.random().toString(36); }\nconst makeId = () => \`id-\${nonce()}\`;\nexport const handler = withDurableExecution(async (event, ctx) => { const id = makeId(); await ctx.step(async () => id); });`,
      errors: [
        {
          message: "`makeId()` uses `Math.random()`, which gives another value on replay. Call `makeId()` inside a step and use the stored result.",
        },
      ],
    },
    {
      // An item namer runs on every replay: a clock in it renames the items.
      code: inHandler(`await ctx.map("items", event.items, async (c, v) => c.step(async () => v), { itemNamer: (v) => \`\${v}-\${Date.now()}\` });`),
      errors: [{ messageId: "outsideStep", data: { operation: "Date.now()", suggestion: "now" } }],
    },
    {
      code: inHandler(`const noise = event.items.map(Math.random);\nconst clock = Date.now;`),
      errors: [
        {
          message:
            "`Math.random` is passed on as a function in handler code; whatever calls it gets another value on replay. Call it inside a step and use the stored result.",
        },
        { messageId: "referenceOutsideStep", data: { operation: "Date.now" } },
      ],
    },
    {
      code: `export async function helper(durable) { return Date.now(); }`,
      options: [{ contextNames: ["durable"] }],
      errors: [{ messageId: "outsideStep", data: { operation: "Date.now()", suggestion: "now" } }],
    },
  ],
});
