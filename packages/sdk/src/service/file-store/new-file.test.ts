import { linkSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lockUnpublished } from "./file-lock.js";
import { writeNewFile } from "./new-file.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("writeNewFile, durable", () => {
  it("creates the file with its content, multi-byte text included", async () => {
    dir = mkdtempSync(join(tmpdir(), "cairn-new-file-"));
    const path = join(dir, "name");
    const content = JSON.stringify({ id: "01ABC", name: "commande-été-✓" });
    await writeNewFile(path, content, true);
    expect(readFileSync(path, "utf8")).toBe(content);
  });

  it("refuses a file that exists (EEXIST) and leaves it as it was", async () => {
    dir = mkdtempSync(join(tmpdir(), "cairn-new-file-"));
    const path = join(dir, "name");
    writeFileSync(path, "theirs");
    await expect(writeNewFile(path, "ours", true)).rejects.toMatchObject({ code: "EEXIST" });
    expect(readFileSync(path, "utf8")).toBe("theirs");
  });
});

describe("lockUnpublished", () => {
  it("writes the lock file naming this process, and refuses one that exists", async () => {
    dir = mkdtempSync(join(tmpdir(), "cairn-new-file-"));
    const path = join(dir, "lock");
    const lock = await lockUnpublished(path);
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ pid: process.pid });
    expect(readFileSync(path, "utf8")).toBe(lock.content);
    await expect(lockUnpublished(path)).rejects.toMatchObject({ code: "EEXIST" });
    await lock.release();
    expect(() => readFileSync(path)).toThrow();
  });

  it("writes the given fields beside the owner, and releasing removes only the lock's own entry", async () => {
    dir = mkdtempSync(join(tmpdir(), "cairn-new-file-"));
    const path = join(dir, "lock");
    const lock = await lockUnpublished(path, { id: "01ABC", name: "commande-été-✓" });
    const content = JSON.parse(readFileSync(path, "utf8"));
    expect(content).toEqual({ id: "01ABC", name: "commande-été-✓", pid: process.pid, host: expect.any(String), nonce: expect.any(String) });
    // Linked elsewhere (as the file store links its name claim), the file outlives the lock.
    linkSync(path, join(dir, "claim"));
    await lock.release();
    expect(() => readFileSync(path)).toThrow();
    expect(JSON.parse(readFileSync(join(dir, "claim"), "utf8"))).toEqual(content);
  });
});
