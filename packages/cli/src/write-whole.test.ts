import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileWhole } from "./write-whole.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cairn-write-whole-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("writeFileWhole", () => {
  it("replaces the file's content with the new one, and leaves nothing else beside it", () => {
    const path = join(dir, "out.json");
    writeFileSync(path, "old");
    writeFileWhole(path, '{"new":true}\n');
    expect(readFileSync(path, "utf8")).toBe('{"new":true}\n');
    expect(readdirSync(dir)).toEqual(["out.json"]);
  });

  it("throws when it cannot rename, leaving the target as it was and no temporary file", () => {
    const path = join(dir, "taken");
    mkdirSync(path);
    writeFileSync(join(path, "inside"), "kept");
    expect(() => writeFileWhole(path, "data")).toThrow();
    expect(readdirSync(dir)).toEqual(["taken"]);
    expect(readFileSync(join(path, "inside"), "utf8")).toBe("kept");
  });
});
