// A handler ports by changing its import: every module in handlers/ is written against the AWS
// SDK; the Cairn copy swaps the import specifier and nothing else. Both copies must type-check
// alike, and each, run on its own SDK's test runner with the same inputs, must end alike.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWS_SDK, CAIRN_SDK, generateCopies, handlersDir, type SdkName } from "./generate.js";
import { normalize } from "./known-differences.js";
import { loadRunnerKit, type RunnerKit } from "./runners.js";
import { runScenario, scenarios, type Outcome } from "./scenarios.js";

const copies = generateCopies();
// Files the handlers write (the file-system serdes) go here, and are removed with it.
const scratch = mkdtempSync(join(tmpdir(), "cairn-compat-"));
process.env.COMPAT_SCRATCH_DIR = scratch;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const sdks: SdkName[] = ["aws", "cairn"];
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

describe("the two copies", () => {
  it.each(copies.files)("%s differs only in its import specifiers", (file) => {
    const aws = readFileSync(join(copies.dirs.aws, file), "utf8").split("\n");
    const cairn = readFileSync(join(copies.dirs.cairn, file), "utf8").split("\n");
    expect(readFileSync(join(handlersDir, file), "utf8")).toBe(aws.join("\n"));
    expect(cairn).toHaveLength(aws.length);
    const changed = aws.flatMap((line, i) => (line === cairn[i] ? [] : [[line, cairn[i]]]));
    for (const [before, after] of changed) expect(after).toBe(before?.replace(`"${AWS_SDK}"`, `"${CAIRN_SDK}"`));
    // Every handler module uses the SDK, so each must have had its import rewritten.
    expect(changed.length).toBeGreaterThan(0);
  });

  it.each(sdks)("the %s copy type-checks under the repository's strict settings", (sdk) => {
    const check = spawnSync(process.execPath, [tsc, "-p", join(copies.dirs[sdk], "tsconfig.json")], { encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
  }, 120_000);
});

const outcomes: Record<SdkName, Map<string, Outcome>> = { aws: new Map(), cairn: new Map() };

// One SDK at a time: the AWS runner's fake timers are global while its environment is set up.
for (const sdk of sdks) {
  describe(`${sdk} copy on its own runner`, () => {
    let kit: RunnerKit;
    beforeAll(async () => {
      kit = await loadRunnerKit(sdk);
      await kit.setup();
    });
    afterAll(async () => {
      await kit.teardown();
      // Kept beside the copies for reading a failure: the full outcome of each scenario.
      writeFileSync(join(copies.dirs[sdk], "outcomes.json"), JSON.stringify(Object.fromEntries(outcomes[sdk]), null, 2));
    });

    it.each(scenarios)("$name", async (scenario) => {
      const outcome = await runScenario(kit, join(copies.dirs[sdk], `${scenario.module}.ts`), scenario);
      outcomes[sdk].set(scenario.name, outcome);
      expect(outcome.status).toBe(scenario.name.startsWith("execution fails") ? "FAILED" : "SUCCEEDED");
    }, 60_000);
  });
}

describe("same outcome on both SDKs", () => {
  it.each(scenarios)("$name", (scenario) => {
    const aws = outcomes.aws.get(scenario.name);
    const cairn = outcomes.cairn.get(scenario.name);
    expect(aws, "the AWS run did not finish").toBeDefined();
    expect(cairn, "the Cairn run did not finish").toBeDefined();
    expect(normalize(scenario.name, cairn!, "cairn")).toEqual(normalize(scenario.name, aws!, "aws"));
  });
});
