import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changedDirectories, writeFileWhole, type WholeFileSystem } from "./whole-file.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "cairn-whole-file-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The real filesystem, with each call written down in order (and the paths synced). */
function recording(failRename = false): { fsys: WholeFileSystem; calls: string[] } {
  const calls: string[] = [];
  const short = (path: unknown) => String(path).slice(root.length).replace(/\.[0-9a-f]{12}\.tmp$/, ".tmp") || "/";
  const fsys: WholeFileSystem = {
    mkdir: ((path: string, options: { recursive: true }) => {
      calls.push(`mkdir ${short(path)}`);
      return fs.mkdir(path, options);
    }) as WholeFileSystem["mkdir"],
    writeFile: ((path: string, data: string, options: { flush?: boolean }) => {
      calls.push(`write ${short(path)}${options.flush === true ? " flushed" : ""}`);
      return fs.writeFile(path, data, options);
    }) as WholeFileSystem["writeFile"],
    rename: async (from, to) => {
      calls.push(`rename ${short(from)} ${short(to)}`);
      if (failRename) throw Object.assign(new Error("EXDEV: rename refused"), { code: "EXDEV" });
      return fs.rename(from, to);
    },
    rm: ((path: string, options: { force?: boolean }) => {
      calls.push(`rm ${short(path)}`);
      return fs.rm(path, options);
    }) as WholeFileSystem["rm"],
    open: (async (path: string, flags: string) => {
      const handle = await fs.open(path, flags);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        calls.push(`sync ${short(path)}`);
        return sync();
      };
      return handle;
    }) as WholeFileSystem["open"],
  };
  return { fsys, calls };
}

describe("writeFileWhole", () => {
  it("writes a flushed temporary file, renames it into place, then syncs the file's directory", async () => {
    const { fsys, calls } = recording();
    await writeFile(join(root, "value.json"), "old");
    await writeFileWhole(join(root, "value.json"), '{"new":true}', fsys);
    expect(calls).toEqual(["mkdir /", "write /value.json.tmp flushed", "rename /value.json.tmp /value.json", "sync /"]);
    expect(await readFile(join(root, "value.json"), "utf8")).toBe('{"new":true}');
    expect(await readdir(root)).toEqual(["value.json"]);
  });

  it("syncs every directory whose entries it created, from the parent of the first one made", async () => {
    const { fsys, calls } = recording();
    await writeFileWhole(join(root, "a", "b", "c", "value.json"), "1", fsys);
    expect(calls.filter((call) => call.startsWith("sync"))).toEqual(["sync /", "sync /a", "sync /a/b", "sync /a/b/c"]);
    expect(await readFile(join(root, "a", "b", "c", "value.json"), "utf8")).toBe("1");
  });

  it("leaves the old file and no temporary one when the rename fails", async () => {
    const { fsys, calls } = recording(true);
    await writeFile(join(root, "value.json"), "old");
    await expect(writeFileWhole(join(root, "value.json"), "new", fsys)).rejects.toThrow(/EXDEV/);
    expect(calls.at(-1)).toBe("rm /value.json.tmp");
    expect(calls.some((call) => call.startsWith("sync"))).toBe(false);
    expect(await readFile(join(root, "value.json"), "utf8")).toBe("old");
    expect(await readdir(root)).toEqual(["value.json"]);
  });

  it("gives concurrent writers of one file temporary files of their own", async () => {
    const file = join(root, "value.json");
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeFileWhole(file, JSON.stringify({ writer: i, pad: "x".repeat(10_000) }))));
    const written = JSON.parse(await readFile(file, "utf8")) as { writer: number; pad: string };
    expect(written.pad).toHaveLength(10_000);
    expect(await readdir(root)).toEqual(["value.json"]);
  });
});

describe("changedDirectories", () => {
  it("is the directory alone when nothing was created, else every directory from the first one's parent", () => {
    expect(changedDirectories("/x/y", undefined)).toEqual(["/x/y"]);
    expect(changedDirectories("/x/y/z", "/x/y")).toEqual(["/x", "/x/y", "/x/y/z"]);
    expect(changedDirectories("/x/y", "/x/y")).toEqual(["/x", "/x/y"]);
  });
});
