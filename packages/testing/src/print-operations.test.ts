import type { Operation } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { formatDuration, formatOperationTable } from "./print-operations.js";

const at = (s: number) => new Date(Date.UTC(2030, 0, 1) + s * 1000);

describe("formatOperationTable", () => {
  it("lists children under their parent, indented, whatever the input order", () => {
    const ops: Operation[] = [
      { Id: "2-1", ParentId: "2", Name: "leaf", Type: "STEP", SubType: "Step", Status: "SUCCEEDED", StartTimestamp: at(5), EndTimestamp: at(6) },
      { Id: "1", Name: "first", Type: "WAIT", SubType: "Wait", Status: "SUCCEEDED", StartTimestamp: at(0), EndTimestamp: at(3600) },
      { Id: "2", Name: "group", Type: "CONTEXT", SubType: "RunInChildContext", Status: "STARTED", StartTimestamp: at(5) },
    ];
    const lines = formatOperationTable(ops, { startTime: false, endTime: false }).split("\n");
    expect(lines[0]).toMatch(/^ID\s+PARENT\s+NAME\s+TYPE\s+SUBTYPE\s+STATUS\s+DURATION$/);
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["1", "-", "first"],
      ["2", "-", "group"],
      ["2-1", "2", "leaf"],
    ]);
    expect(lines[4]).toMatch(/ {4}leaf/);
    expect(lines[2]).toMatch(/1h$/);
    expect(lines[3]).toMatch(/STARTED\s+-$/);
  });

  it("says so when there is nothing to show", () => {
    expect(formatOperationTable([])).toBe("No operations found.");
  });

  it("formats durations for people", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_500)).toBe("12.5s");
    expect(formatDuration(3_723_000)).toBe("1h 2m 3s");
    expect(formatDuration(2 * 86_400_000)).toBe("2d");
  });
});
