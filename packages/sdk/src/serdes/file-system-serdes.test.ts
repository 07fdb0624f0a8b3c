import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { runLocal } from "../test-support/run-local.js";
import { createFileSystemSerdes, FileSystemPathEncoding, FileSystemSerdesMode } from "./file-system-serdes.js";
import { buildPreview, PreviewMode } from "./preview.js";

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "cairn-fs-serdes-"));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** Every file below `base`, relative to it. */
function files(directory = base): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? files(path) : [relative(base, path)];
  });
}

const lambdaArn = "arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST/durable-execution/order-7/0b1c2d3e";

describe("createFileSystemSerdes", () => {
  it("keeps step results in files and only their paths in the checkpoints; replay reads them back", async () => {
    const seen: unknown[] = [];
    const run = await runLocal(async (_event, ctx) => {
      ctx.configureSerdes({ defaultSerdes: createFileSystemSerdes(base) });
      const order = await ctx.step("load", async () => ({ id: "o-1", lines: [3, 4] }));
      seen.push(order);
      await ctx.wait({ seconds: 1 });
      return order.lines.length;
    });
    expect(run.result).toBe(2);
    expect(seen).toEqual([{ id: "o-1", lines: [3, 4] }, { id: "o-1", lines: [3, 4] }]);
    const stored = JSON.parse(run.operations.find((o) => o.Name === "load")?.StepDetails?.Result ?? "{}") as { file: string };
    expect(Object.keys(stored)).toEqual(["file"]);
    expect(JSON.parse(readFileSync(stored.file, "utf8"))).toEqual({ id: "o-1", lines: [3, 4] });
    // One file, named by the operation's id, in a directory named by the execution's ARN.
    expect(files()).toEqual([join(encodeURIComponent(run.execution.executionArn), "1.json")]);
  });

  it("with OVERFLOW stores small values inline and writes only the large ones", async () => {
    const serdes = createFileSystemSerdes(base, { storageMode: FileSystemSerdesMode.OVERFLOW });
    const context = { entityId: "3-1", durableExecutionArn: lambdaArn };
    const small = await serdes.serialize({ n: 1 }, context);
    expect(small).toBe('{"data":"{\\"n\\":1}"}');
    expect(files()).toEqual([]);
    const large = { text: "x".repeat(300 * 1024) };
    const pointer = await serdes.serialize(large, context);
    expect(JSON.parse(pointer ?? "{}")).toEqual({ file: join(base, "orders", "order-7", "0b1c2d3e", "3-1.json") });
    expect(await serdes.deserialize(pointer, context)).toEqual(large);
    expect(await serdes.deserialize(small, context)).toEqual({ n: 1 });
  });

  it("names directories and files by SHA-256 with HASH, and keeps a preview beside the path", async () => {
    const serdes = createFileSystemSerdes(base, {
      pathEncoding: FileSystemPathEncoding.HASH,
      generatePreview: (value) => buildPreview(value, { mode: PreviewMode.EXCLUDE_ALL, include: [{ name: "id" }], mask: [{ name: "email" }] }),
    });
    const context = { entityId: "a/very:odd id", durableExecutionArn: lambdaArn };
    const stored = JSON.parse((await serdes.serialize({ id: "c-1", email: "ada@example.com", notes: "long" }, context)) ?? "{}") as Record<string, unknown>;
    expect(stored.preview).toEqual({ id: "c-1", email: "***" });
    const [file] = files();
    expect(file).toMatch(/^[0-9a-f]{64}\/[0-9a-f]{64}\.json$/);
    expect(stored.file).toBe(join(base, file as string));
  });

  it("writes a file whole, replacing an earlier attempt's, and leaves no temporary files", async () => {
    const serdes = createFileSystemSerdes(base);
    const context = { entityId: "1", durableExecutionArn: "arn:x" };
    await serdes.serialize({ attempt: 1 }, context);
    const pointer = await serdes.serialize({ attempt: 2 }, context);
    expect(await serdes.deserialize(pointer, context)).toEqual({ attempt: 2 });
    expect(files()).toEqual([join("arn%3Ax", "1.json")]);
    expect(await serdes.serialize(undefined, context)).toBeUndefined();
    expect(await serdes.deserialize(undefined, context)).toBeUndefined();
  });

  it("says which file it could not read, and why a shared filesystem is needed", async () => {
    const serdes = createFileSystemSerdes(base);
    const context = { entityId: "4", durableExecutionArn: "arn:x" };
    await expect(serdes.deserialize(JSON.stringify({ file: join(base, "gone.json") }), context)).rejects.toThrow(
      /operation 4 was stored in .*gone\.json, which cannot be read .*ENOENT.*Amazon EFS/,
    );
  });

  it("rejects bad arguments when it is made", () => {
    expect(() => createFileSystemSerdes("")).toThrow(ValidationError);
    expect(() => createFileSystemSerdes(base, { storageMode: "SOMETIMES" as never })).toThrow(/storageMode/);
    expect(() => createFileSystemSerdes(base, { pathEncoding: "BASE64" as never })).toThrow(/pathEncoding/);
    expect(() => createFileSystemSerdes(base, { generatePreview: {} as never })).toThrow(/generatePreview/);
  });
});
