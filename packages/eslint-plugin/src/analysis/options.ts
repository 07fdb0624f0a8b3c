import type { JSONSchema } from "@typescript-eslint/utils";

/** Options every rule of the plugin accepts. */
export interface ContextOptions {
  /**
   * Extra identifier names to treat as a durable context, for code the plugin cannot recognise
   * (an untyped helper's parameter, a context stored under another name).
   */
  contextNames?: string[];
}

/** JSON schema of {@link ContextOptions}; ESLint validates configured options against it. */
export const contextOptionsSchema: JSONSchema.JSONSchema4 = {
  type: "object",
  properties: {
    contextNames: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      description: "Identifier names always treated as a DurableContext.",
    },
  },
  additionalProperties: false,
};
