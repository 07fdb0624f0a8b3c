// createFileSystemSerdes (every value in a file; overflow only) across a replay, and buildPreview
// with each of its rules.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildPreview,
  createFileSystemSerdes,
  FieldMatchMode,
  FileSystemPathEncoding,
  FileSystemSerdesMode,
  PreviewMode,
  withDurableExecution,
  type PreviewConfig,
} from "@aws/durable-execution-sdk-js";

// The suite names a directory it removes afterwards; run on its own, the system's temporary one.
const base = mkdtempSync(join(process.env.COMPAT_SCRATCH_DIR ?? tmpdir(), "fs-serdes-"));

const customer = {
  id: "c-1",
  email: "ada@example.com",
  address: { city: "Leeds", email: "post@example.com" },
  orders: [{ sku: "a" }, { sku: "b", gift: true }],
  card: { number: "4111", expiry: "12/29" },
};

const previews: PreviewConfig[] = [
  { mode: PreviewMode.EXCLUDE_ALL, include: [{ name: "id" }, { name: "card" }], mask: [{ name: "email" }], exclude: [{ name: "expiry" }] },
  { mode: PreviewMode.INCLUDE_ALL, exclude: [{ name: "card" }], mask: [{ name: "gift" }], maskString: "<hidden>" },
  { mode: PreviewMode.EXCLUDE_ALL, include: [{ name: "address.email", match: FieldMatchMode.PATH }] },
  { mode: PreviewMode.INCLUDE_ALL, maxPreviewBytes: 40 },
];

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  ctx.configureSerdes({
    defaultSerdes: createFileSystemSerdes(base, {
      pathEncoding: FileSystemPathEncoding.HASH,
      generatePreview: (value) => buildPreview(value, previews[0] as PreviewConfig),
    }),
  });
  const stored = await ctx.step("customer", async () => customer);
  const overflow = createFileSystemSerdes(base, { storageMode: FileSystemSerdesMode.OVERFLOW });
  const small = await ctx.step("small", async () => ({ n: 1 }), { serdes: overflow });
  const large = await ctx.step("large", async () => ({ text: "x".repeat(300 * 1024) }), { serdes: overflow });
  // Suspend and replay: every value above is read back through its serdes.
  await ctx.wait({ seconds: 1 });
  return {
    stored,
    small,
    largeLength: large.text.length,
    previews: previews.map((config) => buildPreview(customer, config) ?? null),
    none: buildPreview("text", { mode: PreviewMode.INCLUDE_ALL }) ?? null,
  };
});
