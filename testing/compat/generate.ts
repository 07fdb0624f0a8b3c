// Emits the two copies of every handler: `aws/` byte for byte as written, `cairn/` with the SDK
// module specifier swapped in import declarations and nothing else changed. Each copy gets a
// tsconfig with the repository's compiler settings so it can be type-checked on its own.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const AWS_SDK = "@aws/durable-execution-sdk-js";
export const CAIRN_SDK = "@cairn/sdk";
export const AWS_TESTING = "@aws/durable-execution-sdk-js-testing";
export const CAIRN_TESTING = "@cairn/testing";
export type SdkName = "aws" | "cairn";

/** The only edit a port makes: each AWS module specifier and its Cairn counterpart. */
export const cairnSpecifiers: Record<string, string> = { [AWS_SDK]: CAIRN_SDK, [AWS_TESTING]: CAIRN_TESTING };

const here = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = join(here, "..", "..");
export const handlersDir = join(here, "handlers");
export const generatedDir = join(here, ".generated");

// Only `... from "<specifier>";` at the end of an import line is rewritten; a mention in a
// comment or string stays, so the copy cannot differ anywhere but its imports.
const importFrom = /^(import .* from |\} from )"(@aws\/durable-execution-sdk-js(?:-testing)?)";$/gm;

export function toCairn(source: string): string {
  return source.replace(importFrom, (_line, head: string, specifier: string) => `${head}"${cairnSpecifiers[specifier]}";`);
}

export interface GeneratedCopies {
  files: string[];
  dirs: Record<SdkName, string>;
}

export function generateCopies(): GeneratedCopies {
  const files = readdirSync(handlersDir).filter((f) => f.endsWith(".ts")).sort();
  const dirs: Record<SdkName, string> = { aws: join(generatedDir, "aws"), cairn: join(generatedDir, "cairn") };
  for (const [sdk, dir] of Object.entries(dirs) as [SdkName, string][]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const file of files) {
      const source = readFileSync(join(handlersDir, file), "utf8");
      writeFileSync(join(dir, file), sdk === "aws" ? source : toCairn(source));
    }
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfigFor(sdk), null, 2));
  }
  return { files, dirs };
}

function tsconfigFor(sdk: SdkName) {
  return {
    extends: join(repoRoot, "tsconfig.base.json"),
    compilerOptions: {
      noEmit: true,
      declaration: false,
      declarationMap: false,
      // Cairn is checked from its sources, so a stale build cannot hide (or invent) a gap.
      ...(sdk === "cairn" ? { paths: { [CAIRN_SDK]: [join(repoRoot, "packages/sdk/src/index.ts")] } } : {}),
    },
    include: ["*.ts"],
  };
}
