// @cairn/eslint-plugin loaded with require() in a CommonJS project and run by ESLint's Linter on
// plain JavaScript (ESLint's default parser: no TypeScript parser needed).
import { Linter } from "eslint";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cairn = require("@cairn/eslint-plugin");

const handlerSource = `
const { withDurableExecution } = require("@cairn/sdk");
exports.handler = withDurableExecution(async (event, ctx) => {
  const id = Math.random();
  const charged = await ctx.step("charge", async () => ({ id, at: Date.now() }));
  return charged;
});
`;

describe("@cairn/eslint-plugin through require", () => {
  it("is a flat-config plugin whose recommended config turns every rule on", () => {
    const rules = Object.keys(cairn.rules).sort();
    expect(rules).toEqual([
      "no-floating-durable-promises",
      "no-mutation-in-step",
      "no-nested-durable-operations",
      "no-non-deterministic-outside-step",
    ]);
    expect(Object.keys(cairn.configs.recommended.rules).sort()).toEqual(rules.map((rule) => `@cairn/${rule}`));
  });

  it("reports randomness outside a step and accepts the clock read inside one", () => {
    const linter = new Linter({ configType: "flat" });
    const messages = linter.verify(handlerSource, [
      { languageOptions: { sourceType: "commonjs", ecmaVersion: 2022 } },
      cairn.configs.recommended,
    ]);
    expect(messages.map((message) => [message.ruleId, message.line])).toEqual([["@cairn/no-non-deterministic-outside-step", 4]]);
  });
});
