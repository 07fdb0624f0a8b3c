// Shared lint rules for every workspace; type-aware rules stay in `typecheck`.
import tseslint from "typescript-eslint";
import { sdkLayerRules } from "./scripts/sdk-layers.js";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...sdkLayerRules,
  {
    files: ["**/*.test.ts", "testing/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
