// The code a guide tells a new user to write, taken from the guide itself, so the consumer
// fixtures test the guide as written. A code block is marked by an HTML comment on the line
// before its fence (invisible when the Markdown is rendered):
//
//   <!-- consumer-fixture: esm/src/handler.ts -->    the block becomes that file of the esm fixture
//   <!-- consumer-fixture: esm commands -->          the block's `npm i` and `npm pkg set type=` lines
//                                                    must match the esm fixture's package.json
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

const MARKER = /^<!--\s*consumer-fixture:\s*(\S+?)(?:\s+(commands))?\s*-->\n```[\w-]*\n([\s\S]*?)^```/gm;

/** Every marked block of a Markdown file: { fixture, file?, commands?, code }. */
export function markedBlocks(markdown) {
  return [...markdown.matchAll(MARKER)].map(([, target, commands, code]) => {
    const [fixture, ...rest] = target.split("/");
    return commands ? { fixture, commands: true, code } : { fixture, file: rest.join("/"), code };
  });
}

/**
 * Writes the guide's marked files into the copied fixture folders (under `work`) and checks its
 * marked install commands against each fixture's package.json. Returns the problems found, one
 * message each (an empty list when the guide and the fixtures agree).
 */
export function applyGuide(guidePath, work, fixtureNames) {
  const blocks = markedBlocks(readFileSync(guidePath, "utf8"));
  const problems = [];
  if (!blocks.some((block) => block.file)) problems.push(`${guidePath} marks no code block as a consumer fixture file`);
  if (!blocks.some((block) => block.commands)) problems.push(`${guidePath} marks no install commands for a consumer fixture`);
  for (const block of blocks) {
    if (!fixtureNames.includes(block.fixture)) {
      problems.push(`${guidePath} names an unknown consumer fixture "${block.fixture}"`);
      continue;
    }
    const dir = join(work, block.fixture);
    if (block.commands) {
      problems.push(...checkCommands(block.code, JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))));
      continue;
    }
    const target = normalize(join(dir, block.file));
    if (!block.file || !target.startsWith(dir)) {
      problems.push(`${guidePath}: "${block.fixture}/${block.file}" is not a file inside the fixture`);
    } else if (existsSync(target)) {
      // The guide's file would silently replace one of the fixture's own.
      problems.push(`${guidePath}: ${block.fixture}/${block.file} already exists in the fixture`);
    } else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, block.code);
    }
  }
  return problems;
}

/** The guide's `npm i [-D] names...` and `npm pkg set type=...` lines against a package.json. */
function checkCommands(script, pkg) {
  const problems = [];
  for (const line of script.split("\n").map((l) => l.trim())) {
    // Words as a shell splits them: `scripts.test="vitest run"` is one.
    const words = line.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
    if (words[0] !== "npm") continue;
    if (words[1] === "i" || words[1] === "install") {
      const dev = words.includes("-D") || words.includes("--save-dev");
      const section = dev ? "devDependencies" : "dependencies";
      for (const name of words.slice(2).filter((word) => !word.startsWith("-"))) {
        if (!pkg[section]?.[name]) problems.push(`the guide's \`${line}\` installs ${name}, which the fixture lacks in ${section}`);
      }
    } else if (words[1] === "pkg" && words[2] === "set") {
      for (const assignment of words.slice(3)) {
        const [key, ...value] = assignment.split("=");
        const actual = key.split(".").reduce((object, part) => object?.[part], pkg);
        const wanted = value.join("=").replaceAll('"', "");
        if (actual !== wanted) problems.push(`the guide's \`${line}\` sets ${key} to ${wanted}; the fixture has ${actual}`);
      }
    }
  }
  return problems;
}
