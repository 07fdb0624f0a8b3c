#!/usr/bin/env node
// Publishes every public package to the npm registry, after the versions have been bumped with
// `npm run version` (changesets) and committed. See docs/releasing.md.
//
//   npm run release                  build, run the publish checks (testing/publish), then
//                                    `npm publish` each package, dependencies first, and tag
//   npm run release -- --dry-run     the same, with `npm publish --dry-run` (no upload, no tags)
//
// Any other argument goes to `npm publish` as it is (`--otp 123456`, `--tag next`,
// `--registry <url>`). A version already on the registry is skipped, so a release that stopped
// part-way (a network error, an expired one-time password) is finished by running it again.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { publicPackages, repoRoot } from "./public-packages.mjs";

const args = process.argv.slice(2);
// `npm run release` sets these for its own script; an `npm publish` started in a package folder
// must not take them (it would act on the workspace root instead of the folder it runs in).
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^npm_(package|lifecycle)_|^npm_config_(local_prefix|workspaces?|include_workspace_root|global|prefix)$/i.test(key),
  ),
);
const dryRun = args.includes("--dry-run");
const publishArgs = args.filter((arg) => arg !== "--dry-run");

/** Runs a command in the foreground; stops the release with a message when it fails. */
function step(title, command, commandArgs, cwd = repoRoot) {
  console.log(`\nrelease: ${title}`);
  const result = spawnSync(command, commandArgs, { cwd, env: childEnv, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`release: stopped: ${title} failed (${result.error?.message ?? `exit code ${result.status}`})`);
    process.exit(1);
  }
}

/** Whether `name@version` is on the registry already (a 404 or any error counts as not). */
function published(name, version) {
  const registry = publishArgs.find((arg, i) => publishArgs[i - 1] === "--registry" || arg.startsWith("--registry="));
  const view = spawnSync("npm", ["view", `${name}@${version}`, "version", ...(registry ? ["--registry", registry.replace(/^--registry=/, "")] : [])], {
    cwd: repoRoot,
    env: childEnv,
    encoding: "utf8",
  });
  return view.status === 0 && view.stdout.trim() === version;
}

// Changesets not yet turned into versions would be released without their version bump.
const pending = readdirSync(join(repoRoot, ".changeset")).filter((file) => file.endsWith(".md") && file !== "README.md");
if (pending.length > 0) {
  const message = `unreleased changesets in .changeset/ (${pending.join(", ")}): run \`npm run version\` and commit first`;
  if (!dryRun) {
    console.error(`release: stopped: ${message}`);
    process.exit(1);
  }
  console.warn(`release: note: ${message} (a dry run goes on with the current versions)`);
}

const packages = publicPackages();
console.log(`release: ${dryRun ? "dry run, " : ""}in this order: ${packages.map((pkg) => `${pkg.name}@${pkg.version}`).join(", ")}`);

step("build every package", "npx", ["turbo", "run", "build", "--output-logs=errors-only"]);
step("publish checks (testing/publish)", "npm", ["test", "--workspace", "testing/publish"]);

const done = [];
for (const pkg of packages) {
  if (!dryRun && published(pkg.name, pkg.version)) {
    console.log(`\nrelease: ${pkg.name}@${pkg.version} is on the registry already: skipped`);
    continue;
  }
  step(`npm publish ${relative(repoRoot, pkg.dir)}${dryRun ? " --dry-run" : ""}`, "npm", ["publish", ...(dryRun ? ["--dry-run"] : []), ...publishArgs], pkg.dir);
  done.push(`${pkg.name}@${pkg.version}`);
}

if (!dryRun && done.length > 0) {
  // One git tag per published package version (@cairn/sdk@0.2.0, ...).
  step("tag the released versions", "npx", ["changeset", "tag"]);
  console.log("\nrelease: push the tags with `git push --follow-tags`");
}
console.log(`\nrelease: ${dryRun ? "would publish" : "published"} ${done.length > 0 ? done.join(", ") : "nothing"}`);
