// The packages this repository publishes: every workspace under packages/ that is not private,
// ordered so that each comes after the packages it depends on (the order to publish them in, so
// that no published version ever names a dependency version that is not on the registry yet).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in scripts/). */
export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * Every public package: `{ name, version, dir, manifest }`, dependencies first. Throws when two
 * public packages depend on each other, which no publish order can satisfy.
 */
export function publicPackages(root = repoRoot) {
  const found = readdirSync(join(root, "packages"))
    .map((folder) => join(root, "packages", folder))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ name: manifest.name, version: manifest.version, dir, manifest }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const byName = new Map(found.map((pkg) => [pkg.name, pkg]));
  const ordered = [];
  const state = new Map(); // name -> "visiting" | "done"
  const visit = (pkg, path) => {
    if (state.get(pkg.name) === "done") return;
    if (state.get(pkg.name) === "visiting") throw new Error(`public packages depend on each other: ${[...path, pkg.name].join(" -> ")}`);
    state.set(pkg.name, "visiting");
    // What an installed package needs at run time; devDependencies are not published.
    const { dependencies = {}, peerDependencies = {}, optionalDependencies = {} } = pkg.manifest;
    for (const name of Object.keys({ ...dependencies, ...peerDependencies, ...optionalDependencies })) {
      const dependency = byName.get(name);
      if (dependency) visit(dependency, [...path, pkg.name]);
    }
    state.set(pkg.name, "done");
    ordered.push(pkg);
  };
  for (const pkg of found) visit(pkg, []);
  return ordered;
}
