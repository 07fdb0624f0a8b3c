// A vitest reporter that tells scripts/watchdog.mjs each time the run makes progress: the run's
// file list, a test file starting and ending, a test or hook starting and finishing. The watchdog
// adds it to the `vitest` command line it runs and names the events file in
// CAIRN_WATCHDOG_EVENTS; one JSON object per line is appended there. Without that variable (vitest
// run directly) the reporter does nothing.
//
// Console output is deliberately not progress: a test stuck in a loop that logs is still stuck.
import { appendFileSync } from "node:fs";

/** The environment variable naming the file the events are appended to. */
export const EVENTS_FILE_VARIABLE = "CAIRN_WATCHDOG_EVENTS";

/**
 * A vitest 3 reporter (the `onTestRunStart`/`onTestModule*`/`onTestCase*` API) that appends one
 * line per event to the watchdog's events file. Also usable without vitest: a script that calls
 * these methods with `{ moduleId }` modules reports progress the same way (the watchdog's own tests
 * do this).
 */
export default class WatchdogReporter {
  /**
   * vitest passes the reporter's options (`["path", { ... }]` in a config), `{}` without any.
   * @param {{ file?: string }} [options] the events file; CAIRN_WATCHDOG_EVENTS by default
   */
  constructor(options = {}) {
    this.file = options.file ?? process.env[EVENTS_FILE_VARIABLE];
  }

  /** @param {Record<string, unknown>} event */
  write(event) {
    if (!this.file) return;
    // Synchronous and tiny: the line is on disk before vitest moves on, even if it then hangs.
    try {
      appendFileSync(this.file, `${JSON.stringify({ at: Date.now(), ...event })}\n`);
    } catch {
      // The watchdog has gone (its temporary directory removed): nothing is listening.
    }
  }

  onTestRunStart(specifications) {
    this.write({ event: "run-start", files: [...new Set(specifications.map((spec) => spec.moduleId))] });
  }

  // Sent by the worker once it has started and begins the file: a file never queued never started.
  onTestModuleQueued(testModule) {
    this.write({ event: "file-queued", file: testModule.moduleId });
  }

  onTestModuleCollected(testModule) {
    this.write({ event: "file-collected", file: testModule.moduleId });
  }

  onTestModuleStart(testModule) {
    this.write({ event: "file-start", file: testModule.moduleId });
  }

  onTestModuleEnd(testModule) {
    this.write({ event: "file-end", file: testModule.moduleId, state: testModule.state?.() });
  }

  onHookStart(hook) {
    this.write({ event: "hook-start", file: moduleOf(hook.entity), name: hook.name });
  }

  onHookEnd(hook) {
    this.write({ event: "hook-end", file: moduleOf(hook.entity), name: hook.name });
  }

  onTestCaseReady(testCase) {
    this.write({ event: "test-start", file: moduleOf(testCase), name: testCase.fullName });
  }

  onTestCaseResult(testCase) {
    this.write({ event: "test-end", file: moduleOf(testCase), name: testCase.fullName, state: testCase.result?.().state });
  }

  onTestRunEnd(_modules, _errors, state) {
    this.write({ event: "run-end", state });
  }
}

/** The file an entity (a module, suite or test case) belongs to. */
function moduleOf(entity) {
  return entity?.type === "module" ? entity.moduleId : entity?.module?.moduleId;
}
