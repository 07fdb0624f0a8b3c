/**
 * ESLint rules that keep Cairn durable handlers deterministic, and a `recommended` flat config.
 *
 * @example
 * ```js
 * // eslint.config.js
 * import cairn from "@cairn/eslint-plugin";
 * import tseslint from "typescript-eslint";
 *
 * export default [...tseslint.configs.recommended, cairn.configs.recommended];
 * ```
 * @packageDocumentation
 */
import type { TSESLint } from "@typescript-eslint/utils";
import { allRules } from "./rules/index.js";

/** The name of a rule of this plugin; configured as `@cairn/<name>`. */
export type RuleName =
  | "no-nested-durable-operations"
  | "no-floating-durable-promises"
  | "no-non-deterministic-outside-step"
  | "no-mutation-in-step";

/** The plugin object ESLint loads: its rules, and the configs that turn them on. */
export interface CairnPlugin {
  /** Identifies the plugin in ESLint's cache and error messages. */
  readonly meta: {
    /** The package name, `@cairn/eslint-plugin`. */
    readonly name: string;
  };
  /** Every rule, by name (without the `@cairn/` prefix). */
  readonly rules: Readonly<Record<RuleName, TSESLint.LooseRuleDefinition>>;
  /** Ready-made flat configs. */
  readonly configs: {
    /**
     * Registers the plugin under `@cairn` and turns every rule on at `error`. Files are not
     * restricted: list it after the config that parses your TypeScript (e.g. typescript-eslint's).
     */
    readonly recommended: TSESLint.FlatConfig.Config;
  };
}

/** The plugin's rules by name, as ESLint expects them in `plugins["@cairn"].rules`. */
export const rules: CairnPlugin["rules"] = allRules;

const recommended: TSESLint.FlatConfig.Config = {
  name: "@cairn/recommended",
  rules: {
    "@cairn/no-nested-durable-operations": "error",
    "@cairn/no-floating-durable-promises": "error",
    "@cairn/no-non-deterministic-outside-step": "error",
    "@cairn/no-mutation-in-step": "error",
  },
};

/**
 * The plugin: `import cairn from "@cairn/eslint-plugin"` (or `require("@cairn/eslint-plugin").default`)
 * and list `cairn.configs.recommended` in `eslint.config.js`.
 */
export const plugin: CairnPlugin = {
  meta: { name: "@cairn/eslint-plugin" },
  rules,
  configs: { recommended },
};
// The config refers back to the plugin object it belongs to, as ESLint's flat configs do.
recommended.plugins = { "@cairn": plugin };

/** The plugin's configs: `configs.recommended` (also reachable as `require("@cairn/eslint-plugin").configs`). */
export const configs: CairnPlugin["configs"] = plugin.configs;

/**
 * The plugin's `meta`. With it, `rules` and `configs`, the CommonJS module object
 * `require("@cairn/eslint-plugin")` is itself a complete plugin object.
 */
export const meta: CairnPlugin["meta"] = plugin.meta;

export default plugin;
