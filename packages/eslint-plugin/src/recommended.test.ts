import { ESLint, type Linter } from "eslint";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import cairn, { configs, plugin, rules } from "./index.js";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** ESLint with only the recommended config (and the TypeScript parser), as a user would set it up. */
function recommendedEslint(): ESLint {
  return new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ["**/*.ts", "**/*.js"], languageOptions: { parser: tseslint.parser, ecmaVersion: "latest", sourceType: "module" } },
      cairn.configs.recommended as Linter.Config,
    ],
  });
}

/** Every error of a lint run, one line each, so a failure names file, line, rule and message. */
function errorsOf(results: ESLint.LintResult[]): string[] {
  return results.flatMap((r) => r.messages.map((m) => `${relative(repoRoot, r.filePath)}:${m.line} ${m.ruleId ?? "parse"}: ${m.message}`));
}

describe("the plugin object", () => {
  it("registers itself under @cairn in the recommended config, with every rule at error", () => {
    expect(cairn).toBe(plugin);
    expect(configs.recommended.plugins?.["@cairn"]).toBe(plugin);
    const ruleNames = Object.keys(rules).sort();
    expect(ruleNames).toEqual([
      "no-floating-durable-promises",
      "no-mutation-in-step",
      "no-nested-durable-operations",
      "no-non-deterministic-outside-step",
    ]);
    expect(configs.recommended.rules).toEqual(Object.fromEntries(ruleNames.map((name) => [`@cairn/${name}`, "error"])));
  });

  it("links every rule to a section of docs/eslint-plugin.md that exists", () => {
    const doc = readFileSync(join(repoRoot, "docs", "eslint-plugin.md"), "utf8");
    const anchors = new Set([...doc.matchAll(/^#{2,4} `?([a-z-]+)`?$/gm)].map((m) => m[1]));
    for (const [name, rule] of Object.entries(rules)) {
      const url = (rule as { meta?: { docs?: { url?: string } } }).meta?.docs?.url;
      expect(url, name).toBe(`https://github.com/cairn-dev/cairn/blob/main/docs/eslint-plugin.md#${name}`);
      expect(anchors.has(name), `docs/eslint-plugin.md has no "## ${name}" heading`).toBe(true);
    }
  });

  it("rejects an option the schema does not know, naming it", async () => {
    const eslint = new ESLint({
      cwd: repoRoot,
      overrideConfigFile: true,
      overrideConfig: [cairn.configs.recommended as Linter.Config, { rules: { "@cairn/no-mutation-in-step": ["error", { contextName: ["ctx"] }] } }],
    });
    await expect(eslint.lintText("export {};")).rejects.toThrow(/contextName/);
  });
});

describe("the repository's own durable code passes the recommended config", () => {
  it("examples/src", async () => {
    const files = readdirSync(join(repoRoot, "examples", "src"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(repoRoot, "examples", "src", f));
    expect(files.length).toBeGreaterThan(10);
    const results = await recommendedEslint().lintFiles(files);
    expect(results).toHaveLength(files.length);
    expect(errorsOf(results)).toEqual([]);
  });

  it("the TypeScript and JavaScript examples in docs/*.md that build a handler", async () => {
    const docsDir = join(repoRoot, "docs");
    const blocks = readdirSync(docsDir)
      .filter((f) => f.endsWith(".md"))
      .flatMap((file) =>
        [...readFileSync(join(docsDir, file), "utf8").matchAll(/^```(ts|typescript|js|javascript)\n([\s\S]*?)^```/gm)]
          .filter((m) => m[2]!.includes("withDurableExecution"))
          .map((m, i) => ({ path: join(docsDir, `${file}.block-${i}.${m[1]!.startsWith("t") ? "ts" : "js"}`), code: m[2]! })),
      );
    // getting-started, aws-lambda, batch-processing, plugins, testing.
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    const eslint = recommendedEslint();
    const results = (await Promise.all(blocks.map((b) => eslint.lintText(b.code, { filePath: b.path })))).flat();
    expect(errorsOf(results)).toEqual([]);
  });
});

describe("docs/eslint-plugin.md", () => {
  // Each rule's section shows a wrong example (which must trip that rule) and a right one (clean).
  const doc = readFileSync(join(repoRoot, "docs", "eslint-plugin.md"), "utf8");
  const sections = doc.split(/^## /m).slice(1);
  it.each(Object.keys(rules))("%s: the wrong example is reported by the rule, the right one is clean", async (name) => {
    const section = sections.find((s) => s.startsWith(`\`${name}\``));
    expect(section, `no section for ${name}`).toBeDefined();
    const example = (label: string) => new RegExp(`^${label}:\\n\\n\`\`\`ts\\n([\\s\\S]*?)^\`\`\``, "m").exec(section!)?.[1];
    const wrong = example("Wrong");
    const right = example("Right");
    expect(wrong && right, `${name}: a Wrong: and a Right: ts block`).toBeTruthy();
    const eslint = recommendedEslint();
    const [wrongResult] = await eslint.lintText(wrong!, { filePath: join(repoRoot, "docs", `${name}.wrong.ts`) });
    const [rightResult] = await eslint.lintText(right!, { filePath: join(repoRoot, "docs", `${name}.right.ts`) });
    expect(errorsOf([rightResult!])).toEqual([]);
    const rulesHit = new Set(wrongResult!.messages.map((m) => m.ruleId));
    expect([...rulesHit]).toEqual([`@cairn/${name}`]);
  });
});
