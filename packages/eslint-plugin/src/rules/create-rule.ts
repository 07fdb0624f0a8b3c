import { ESLintUtils } from "@typescript-eslint/utils";

/** Where each rule's documentation lives: a section of docs/eslint-plugin.md named after the rule. */
export const DOCS_BASE_URL = "https://github.com/cairn-dev/cairn/blob/main/docs/eslint-plugin.md";

/** Builds a rule whose `meta.docs.url` points at its section of the plugin's documentation. */
export const createRule = ESLintUtils.RuleCreator((name) => `${DOCS_BASE_URL}#${name}`);
