// A test file ports by changing its import lines: every *.spec.ts in test-files/ is written for
// the AWS testing library as its users write them. Both copies run, unchanged otherwise, under
// jest (ts-jest, CommonJS, type-checked) and under vitest (ESM); every test that passes on AWS's
// runner must pass on Cairn's, under each. Run by vitest.test-files.config.ts (`npm test`).
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type SdkName } from "./generate.js";
import { failureLocation, knownTestFileDifferences } from "./known-differences.js";
import { runCopy, type CopyRun, type TestRunnerName } from "./run-test-files.js";
import { generateTestFileCopies, testFilesDir } from "./test-file-copies.js";

const copies = generateTestFileCopies();
const sdks: SdkName[] = ["aws", "cairn"];
const runners: { name: TestRunnerName; label: string }[] = [
  { name: "jest", label: "jest (ts-jest, CommonJS, type-checked)" },
  { name: "vitest", label: "vitest (ESM)" },
];
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const repoRoot = join(testFilesDir, "..", "..", "..");

// The runs happen while the suite is collected, so that each test case they report becomes a
// test of its own here. One run at a time: the machine is shared, and the AWS runner times
// callback timeouts in real time.
const runs = new Map<string, CopyRun>();
for (const { name } of runners) for (const sdk of sdks) runs.set(`${name}/${sdk}`, await runCopy(name, sdk, copies.dirs[sdk]));

describe("the two copies", () => {
  it.each(copies.files)("%s differs only in its import lines", (file) => {
    const source = readFileSync(join(testFilesDir, file), "utf8");
    const aws = readFileSync(join(copies.dirs.aws, file), "utf8");
    const cairn = readFileSync(join(copies.dirs.cairn, file), "utf8").split("\n");
    expect(aws).toBe(source);
    const awsLines = aws.split("\n");
    expect(cairn).toHaveLength(awsLines.length);
    const changed = awsLines.flatMap((line, i) => (line === cairn[i] ? [] : [[line, cairn[i]]]));
    for (const [before, after] of changed) {
      expect(after).toBe(
        before
          ?.replace(/"@aws\/durable-execution-sdk-js-testing";$/, '"@cairn/testing";')
          .replace(/"@aws\/durable-execution-sdk-js";$/, '"@cairn/sdk";'),
      );
    }
    expect(changed.length).toBeGreaterThan(0);
  });

  // jest type-checks the CommonJS flavour through ts-jest; this checks the ESM one.
  it.each(sdks)("the %s copy type-checks as an ESM project with vitest's globals", (sdk) => {
    const check = spawnSync(process.execPath, [tsc, "-p", join(copies.dirs[sdk], "tsconfig.esm.json")], { encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
  }, 120_000);

  // The Cairn copy loads @cairn/* as a user's project does, from the packages' builds.
  it("the Cairn build is not older than its sources", () => {
    const stale = ["sdk", "testing"].flatMap((pkg) => {
      const src = join(repoRoot, "packages", pkg, "src");
      const dist = join(repoRoot, "packages", pkg, "dist");
      if (!existsSync(dist)) return [`packages/${pkg} has no build`];
      // Tests beside the sources are not built, so editing one does not make the build stale.
      const newest = (dir: string): number =>
        Math.max(
          ...readdirSync(dir, { recursive: true, encoding: "utf8" })
            .filter((f) => !/\.test(-d)?\.ts$/.test(f))
            .map((f) => statSync(join(dir, f)).mtimeMs),
        );
      return newest(src) > newest(dist) ? [`packages/${pkg}/src is newer than its build`] : [];
    });
    expect(stale, "run `npm run build` first (npm test does)").toEqual([]);
  });
});

for (const { name, label } of runners) {
  const aws = runs.get(`${name}/aws`)!;
  const cairn = runs.get(`${name}/cairn`)!;
  describe(label, () => {
    it("AWS's runner ran every test file", () => {
      expect(aws.timedOut, "the run was killed after its time limit").toBe(false);
      expect(Object.fromEntries(aws.fileFailures), aws.output).toEqual({});
      expect(aws.cases.size, aws.output).toBeGreaterThan(0);
    });

    it.each([...aws.cases.keys()])("%s", (key) => {
      const truth = aws.cases.get(key)!;
      expect(truth.status, `fails on AWS's own runner, so the test is wrong:\n${truth.failureMessages.join("\n")}`).toBe("passed");
      const ported = cairn.cases.get(key);
      const fileFailure = cairn.fileFailures.get(key.split(" > ")[0]!);
      const observed = ported
        ? `${ported.status}\n${ported.failureMessages.join("\n")}`
        : `not run on Cairn${cairn.timedOut ? " (the run was killed after its time limit)" : ""}\n${fileFailure ?? cairn.output.slice(-4000)}`;
      const known = knownTestFileDifferences[key];
      if (known) {
        expect(ported?.status, `listed as a known difference (${known.documented}) but passes on Cairn: remove the entry`).not.toBe("passed");
        const source = readFileSync(join(testFilesDir, key.split(" > ")[0]!), "utf8");
        const location = failureLocation(key, known.failsAt, source);
        expect(location, `the listed assertion \`${known.failsAt}\` is not in the test`).toBeDefined();
        expect(observed, `listed as a known difference (${known.documented}), but fails somewhere else`).toContain(location);
        return;
      }
      expect(ported?.status === "passed", observed).toBe(true);
    });
  });
}
