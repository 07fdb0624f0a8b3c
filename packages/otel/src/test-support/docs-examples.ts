import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const page = fileURLToPath(new URL("../../../../docs/opentelemetry.md", import.meta.url));
const outDir = fileURLToPath(new URL("../../.generated/", import.meta.url));

/**
 * Writes the ```ts block of docs/opentelemetry.md that starts with `// file: <name>` to a module
 * inside this package (so its imports resolve as an application's would) and returns its path.
 */
export function docsExample(name: string): string {
  const text = readFileSync(page, "utf8");
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  const block = blocks.find((code) => code.startsWith(`// file: ${name}\n`));
  if (block === undefined) throw new Error(`docs/opentelemetry.md has no \`\`\`ts block starting with "// file: ${name}"`);
  mkdirSync(outDir, { recursive: true });
  const path = `${outDir}${name}`;
  writeFileSync(path, block);
  return path;
}
