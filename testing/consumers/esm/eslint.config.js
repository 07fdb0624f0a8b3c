// The lint setup packages/eslint-plugin's README gives a TypeScript project.
import cairn from "@cairn/eslint-plugin";
import tseslint from "typescript-eslint";

export default [{ ignores: ["node_modules/**"] }, ...tseslint.configs.recommended, cairn.configs.recommended];
