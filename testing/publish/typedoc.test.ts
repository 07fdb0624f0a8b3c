import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiEntryPoints, buildApiDocs } from "../../scripts/api-docs.mjs";

// The API reference builds without a warning: every public name of every entry point has a doc
// comment, every type a public signature names is itself exported, and every {@link} resolves.
// The packages other than @cairn/sdk read @cairn/sdk through its built declarations: `npm test`
// builds every package before this workspace runs.

const packages = apiEntryPoints().map((pkg) => pkg.name);
const out = mkdtempSync(join(tmpdir(), "cairn-api-reference-"));
let problems: Map<string, string[]>;

beforeAll(async () => {
  problems = await buildApiDocs({ out, quiet: true });
}, 10 * 60_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("API reference (TypeDoc)", () => {
  it.each(packages)("%s: every public name is documented and every link resolves", (name) => {
    const list = problems.get(name) ?? [];
    expect(list.length, `${name}: ${list.length} TypeDoc warning(s)\n${list.join("\n")}`).toBe(0);
  });

  it("the merged reference has no broken cross-package link", () => {
    const list = problems.get("(merged)");
    expect(list, "the packages were not all converted, so the reference was not merged").toBeDefined();
    expect(list?.length, `${list?.length} warning(s)\n${list?.join("\n")}`).toBe(0);
  });
});
