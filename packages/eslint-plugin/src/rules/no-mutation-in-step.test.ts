import { inHandler, runRule } from "../test-support/rule-tester.js";
import { noMutationInStep } from "./no-mutation-in-step.js";

runRule("no-mutation-in-step", noMutationInStep, {
  valid: [
    inHandler(`let total = 0;\ntotal = await ctx.step(async () => total + 1);`),
    inHandler(`await ctx.step(async () => { let n = 0; n += 1; const o = { a: 1 }; o.a = 2; return n + o.a; });`),
    // Reading captured state is fine.
    inHandler(`const limit = 3;\nawait ctx.step(async () => limit * 2);`),
    // Outside any body: ordinary handler code that replays.
    inHandler(`let count = 0;\ncount++;\nawait ctx.wait({ seconds: 1 });`),
    // A map item's own locals, written in the item's own code.
    inHandler(`await ctx.map(event.items, async (c, v) => { let sum = 0; sum += await c.step(async () => v); return sum; });`),
    // A step inside a child, writing the child's own variable from outside the step body.
    inHandler(`await ctx.runInChildContext(async (c) => { let x = 0; x = await c.step(async () => 1); return x; });`),
    // Method calls that mutate are out of sight (documented limit).
    inHandler(`const seen = [];\nawait ctx.step(async () => { seen.push(1); });`),
    // A test's counter of body runs: outside the handler, never read by handler code.
    `import { withDurableExecution } from "@cairn/sdk";\nlet bodyRuns = 0;\nconst handler = withDurableExecution(async (event, ctx) => ctx.step(async () => { bodyRuns++; return 1; }));\nexport function runs() { return bodyRuns; }`,
    // Not a durable step.
    `let hits = 0;\nconst machine = { step: (f: () => void) => f() };\nmachine.step(() => { hits += 1; });`,
  ],
  invalid: [
    {
      code: inHandler(`let total = 0;\nawait ctx.step("add", async () => { total += 1; });\nreturn total;`),
      errors: [
        {
          message:
            '`total` belongs to the enclosing code and is assigned inside the step body "add", which does not run on replay: code after it would see another value. Return the value from the step body "add" instead and assign the result: `total = await ctx.step(...)`.',
          line: 4,
        },
      ],
    },
    {
      // The handler's own parameter.
      code: inHandler(`await ctx.step(async () => { event.seen = true; });`),
      errors: [{ messageId: "capturedPropertyWrite", data: { name: "event", target: "event.seen", container: "step body", operation: "ctx.step" } }],
    },
    {
      code: inHandler(`let attempts = 0;\nawait ctx.step(async () => attempts++);`),
      errors: [{ messageId: "capturedWrite", data: { name: "attempts", container: "step body", operation: "ctx.step" } }],
    },
    {
      code: inHandler(`const state = { count: 0, items: [] };\nawait ctx.step(async () => { state.count = 1; state.items[0] = "a"; });`),
      errors: [
        { messageId: "capturedPropertyWrite", data: { name: "state", target: "state.count", container: "step body", operation: "ctx.step" } },
        { messageId: "capturedPropertyWrite", data: { name: "state", target: "state.items[0]", container: "step body", operation: "ctx.step" } },
      ],
    },
    {
      code: inHandler(`let a, b;\nawait ctx.step(async () => { [a, { b }] = [1, { b: 2 }]; });`),
      errors: [
        { messageId: "capturedWrite", data: { name: "a", container: "step body", operation: "ctx.step" } },
        { messageId: "capturedWrite", data: { name: "b", container: "step body", operation: "ctx.step" } },
      ],
    },
    {
      code: inHandler(`let last;\nawait ctx.waitForCondition("poll", async (s) => { last = s; return s; }, { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) });`),
      errors: [{ messageId: "capturedWrite", data: { name: "last", container: 'waitForCondition check "poll"', operation: "ctx.waitForCondition" } }],
    },
    {
      // Completed map items are not re-run on replay either.
      code: inHandler(`let sum = 0;\nawait ctx.map("items", event.items, async (c, v) => { sum += await c.step(async () => v); });`),
      errors: [{ messageId: "capturedWrite", data: { name: "sum", container: 'map callback "items"', operation: "ctx.map" } }],
    },
    {
      // Inside a nested function of the body; a module-level variable the handler reads.
      code: `import { withDurableExecution } from "@cairn/sdk";\nlet cache;\nexport const handler = withDurableExecution(async (event, ctx) => { await ctx.step(async () => { [1].forEach((n) => { cache = n; }); }); return cache; });`,
      errors: [{ messageId: "capturedWrite", data: { name: "cache", container: "step body", operation: "ctx.step" } }],
    },
    {
      // A child's own variable written inside a step of that child.
      code: inHandler(`await ctx.runInChildContext(async (c) => { let x = 0; await c.step(async () => { x = 1; }); return x; });`),
      errors: [{ messageId: "capturedWrite", data: { name: "x", container: "step body", operation: "c.step" } }],
    },
  ],
});
