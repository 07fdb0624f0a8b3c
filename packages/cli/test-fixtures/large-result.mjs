// Output far larger than a pipe's buffer (64 KiB): four steps of ~100 KB each, the last one returned.
import { withDurableExecution } from "@cairn/sdk";

const rows = (page) => Array.from({ length: 1200 }, (_, i) => ({ page, row: i, text: `row ${i} `.repeat(8) }));

export const handler = withDurableExecution(async (_event, ctx) => {
  let last;
  for (let page = 1; page <= 4; page++) last = await ctx.step(`page-${page}`, async () => rows(page));
  return last;
});
