import { RuleTester, type Rule } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";

// RuleTester declares its cases through these hooks; point them at vitest's.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: "latest", sourceType: "module" },
});

/** A rule as the plugin exports it (typescript-eslint's rule type, which ESLint's RuleTester runs). */
type PluginRule = object;

/** Runs a plugin rule through ESLint's RuleTester with the TypeScript parser. */
export function runRule(name: string, rule: PluginRule, tests: Parameters<RuleTester["run"]>[2]): void {
  tester.run(name, rule as Rule.RuleModule, tests);
}

/** A module whose exported handler runs `body` with `event` and `ctx` in scope. */
export function inHandler(body: string): string {
  return `import { withDurableExecution } from "@cairn/sdk";\nexport const handler = withDurableExecution(async (event, ctx) => {\n${body}\n});\n`;
}
