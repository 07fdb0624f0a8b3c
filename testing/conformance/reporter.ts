import type { Reporter, TestCase, TestModule } from "vitest/node";

type RunEnd = NonNullable<Reporter["onTestRunEnd"]>;
type SerializedErrors = Parameters<RunEnd>[1];

/**
 * Prints one line per requirement and mode (`PASS step/1-1 [skipped-time]`, or `FAIL ...` with
 * the reasons indented below) and, last, `N passed, M failed` on its own line.
 */
export default class ConformanceReporter implements Reporter {
  #passed = 0;
  #failed = 0;

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    if (result.state === "passed") {
      this.#passed++;
      process.stdout.write(`PASS ${testCase.name}\n`);
    } else if (result.state === "failed") {
      this.#failed++;
      const reasons = (result.errors ?? []).map((e) => e.message ?? String(e)).join("\n");
      const [first = "failed", ...rest] = reasons.split("\n");
      process.stdout.write(`FAIL ${testCase.name} ${first}\n${rest.map((l) => `    ${l}\n`).join("")}`);
    } else {
      process.stdout.write(`SKIP ${testCase.name}\n`);
    }
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: SerializedErrors): void {
    for (const module of testModules) {
      for (const error of module.errors()) {
        this.#failed++;
        process.stdout.write(`FAIL ${module.moduleId}: ${error.message}\n`);
      }
    }
    for (const error of unhandledErrors) {
      this.#failed++;
      process.stdout.write(`FAIL unhandled error: ${error.message}\n`);
    }
    process.stdout.write(`${this.#passed} passed, ${this.#failed} failed\n`);
  }
}
