import { describe, expect, it } from "vitest";
import { CorruptLogError } from "../errors.js";
import type { ExecutionMutation } from "../execution-record.js";
import { encodeLogRecord, scanLogRecords } from "./mutation-log.js";

const mutation = (seq: number): ExecutionMutation => ({
  seq,
  operations: [
    {
      Id: String(seq),
      Type: "WAIT",
      Status: "STARTED",
      StartTimestamp: new Date(1000 * seq),
      WaitDetails: { ScheduledEndTimestamp: new Date(5000 * seq) },
      // A payload that looks like a date must stay a string.
      Name: "2025-01-01T00:00:00.000Z",
    },
  ],
});

const log = (...seqs: number[]) => Buffer.concat(seqs.map((s) => encodeLogRecord(mutation(s))));

describe("mutation log records", () => {
  it("round-trips mutations, reviving only Date fields", () => {
    const scan = scanLogRecords(log(1, 2), 0, "f", 1);
    expect(scan.invalidTail).toBeUndefined();
    expect(scan.mutations).toEqual([mutation(1), mutation(2)]);
    expect(scan.mutations[0]?.operations?.[0]?.StartTimestamp).toBeInstanceOf(Date);
    expect(typeof scan.mutations[0]?.operations?.[0]?.Name).toBe("string");
  });

  it("treats a half-written last record as a torn tail", () => {
    const full = log(1, 2, 3);
    const cut = full.subarray(0, full.length - 20);
    const scan = scanLogRecords(cut, 0, "f", 1);
    expect(scan.mutations.map((m) => m.seq)).toEqual([1, 2]);
    expect(scan.validLength).toBe(log(1, 2).length);
    expect(scan.invalidTail?.reason).toBe("incomplete record");
  });

  it("treats trailing garbage lines as a torn tail", () => {
    const data = Buffer.concat([log(1), Buffer.from("garbage\n\u0000\u0000\nmore")]);
    const scan = scanLogRecords(data, 0, "f", 1);
    expect(scan.mutations).toHaveLength(1);
    expect(scan.invalidTail?.offset).toBe(log(1).length);
  });

  it("reports damage followed by valid records as corruption, with file and offset", () => {
    const data = log(1, 2, 3);
    const second = log(1).length;
    data[second + 30] = data[second + 30] === 0x41 ? 0x42 : 0x41;
    try {
      scanLogRecords(data, 100, "/x/log", 1);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CorruptLogError);
      expect(error).toMatchObject({ file: "/x/log", offset: 100 + second });
      expect((error as Error).message).toMatch(/\/x\/log.*offset \d+.*checksum mismatch/);
    }
  });

  it("reports records out of sequence as corruption", () => {
    expect(() => scanLogRecords(log(1, 3), 0, "f", 1)).toThrow(/seq 3 where seq 2/);
    expect(() => scanLogRecords(log(5), 0, "f", 4)).toThrow(CorruptLogError);
  });
});
