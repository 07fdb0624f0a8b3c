// A throwaway project for TypeScript handlers: a directory with a package.json and a node_modules
// where @cairn/sdk is this workspace's SDK (linked, as npm links a workspace package), so the
// compiled handler resolves the SDK from the project as a user's would.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./spawn-cli.js";

const SDK = fileURLToPath(new URL("../../../sdk", import.meta.url));

export interface TypeScriptProject {
  path: string;
  /** Writes `contents` to `name` inside the project (creating folders), returning its path. */
  write(name: string, contents: string): string;
  cleanup(): void;
}

/** A project whose package.json has `type` (default "module"), or none with `type: null`. */
export function typeScriptProject(type: "module" | "commonjs" | null = "module"): TypeScriptProject {
  const dir = tempDir("cairn-ts-");
  mkdirSync(join(dir.path, "node_modules", "@cairn"), { recursive: true });
  symlinkSync(SDK, join(dir.path, "node_modules", "@cairn", "sdk"), "dir");
  const write = (name: string, contents: string): string => {
    const file = join(dir.path, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
    return file;
  };
  if (type !== null) write("package.json", `${JSON.stringify({ name: "orders", private: true, type }, null, 2)}\n`);
  return { path: dir.path, write, cleanup: dir.cleanup };
}
