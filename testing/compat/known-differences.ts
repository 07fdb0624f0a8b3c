// Where the SDKs differ on purpose, or in a way docs/compatibility.md records, the outcome is
// normalised before comparing. Each entry names what it covers, and touches only that part of
// the outcome: everything else must still be equal.
import type { SdkName } from "./generate.js";
import type { Outcome } from "./scenarios.js";

export interface KnownDifference {
  /** What differs, as docs/compatibility.md words it. */
  documented: string;
  normalize(outcome: Outcome, sdk: SdkName): Outcome;
}

function mapOperations(outcome: Outcome, fn: (line: string) => string): Outcome {
  return { ...outcome, operations: outcome.operations.map(fn).sort() };
}

function mapResult<T>(outcome: Outcome, fn: (result: T) => T): Outcome {
  return { ...outcome, result: fn(structuredClone(outcome.result) as T) };
}

type ErrorField = { message: string; cause: string | undefined; instanceOf: string[]; errorType: string | undefined };

export const knownDifferences: Record<string, KnownDifference[]> = {
  waitForCondition: [
    {
      documented: "a failed waitForCondition: usually a StepError on AWS, always WaitForConditionError on Cairn",
      normalize: (outcome, sdk) =>
        mapResult<{ broken: ErrorField }>(outcome, (result) => {
          if (sdk === "aws") {
            result.broken.instanceOf = result.broken.instanceOf.map((c) => (c === "StepError" ? "WaitForConditionError" : c));
            result.broken.errorType = "WaitForConditionError";
          }
          return result;
        }),
    },
  ],
  "promise combinators": [
    {
      documented: "abandoned work: the losing branch of ctx.promise.race keeps running on AWS, stays STARTED on Cairn once the execution ends",
      normalize: (outcome) => mapOperations(outcome, (line) => (line.includes("tortoise") ? line.replace(/ (SUCCEEDED|STARTED)$/, " <abandoned>") : line)),
    },
  ],
};

export function normalize(name: string, outcome: Outcome, sdk: SdkName): Outcome {
  return (knownDifferences[name] ?? []).reduce((current, difference) => difference.normalize(current, sdk), outcome);
}

/**
 * Ported test files (test-files/): a test that passes on AWS's runner but must fail on Cairn's,
 * keyed as `<file> > <describe…> > <title>`, with the reason docs/compatibility.md gives.
 * `failsAt` is the text of the assertion expected to fail (its first line in that test): the
 * test must fail exactly there, so a listed test failing for another reason still fails the
 * suite. The listed assertion is written last in its test, so everything before it is still
 * compared. A listed test that starts passing on Cairn fails the suite until its entry is
 * removed, so the list never outlives the difference.
 */
export interface KnownTestFileDifference {
  documented: string;
  failsAt: string;
}

export const knownTestFileDifferences: Record<string, KnownTestFileDifference> = {
  "batches.spec.ts > map and parallel > JSON.stringify of a BatchResult has the items and the completion reason": {
    documented:
      "a map item or child context that throws outside a step: AWS's recorded error inserts a StepError between the ChildContextError and the thrown error; Cairn records ChildContextError → the error",
    failsAt: "expect(JSON.parse(result.getResult() as string)).toEqual({",
  },
  "waits.spec.ts > waits > ends the execution when the handler returns, even with a wait not awaited": {
    documented:
      "an operation not awaited when the handler returns stays STARTED on Cairn; AWS's local runner (skipped time) still completes such a wait after the last invocation",
    failsAt: 'expect(runner.getOperation("follow-up").getStatus()).toBe(OperationStatus.SUCCEEDED);',
  },
};

/** Where a listed assertion is: `<file>:<line>:` as both runners print it in a failure. */
export function failureLocation(key: string, failsAt: string, source: string): string | undefined {
  const file = key.split(" > ")[0]!;
  const title = key.split(" > ").at(-1)!;
  const lines = source.split("\n");
  const start = lines.findIndex((line) => line.includes(`it(${JSON.stringify(title)}`));
  if (start < 0) return undefined;
  const offset = lines.slice(start).findIndex((line) => line.includes(failsAt));
  return offset < 0 ? undefined : `${file}:${start + offset + 1}:`;
}
