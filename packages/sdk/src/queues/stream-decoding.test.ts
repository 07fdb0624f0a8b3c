import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { unmarshallAttributes, unmarshallAttributeValue, type StreamAttributeMap } from "./dynamodb-attributes.js";
import { kinesisDataBytes, kinesisDataJson, kinesisDataText, StreamRecordDecodeError } from "./kinesis-data.js";
import type { KinesisStreamRecord } from "./stream-records.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("unmarshallAttributes", () => {
  it("turns every attribute type into a plain value", () => {
    const image: StreamAttributeMap = {
      id: { S: "order-1" },
      total: { N: "12.50" },
      count: { N: "3" },
      paid: { BOOL: false },
      note: { NULL: true },
      address: { M: { city: { S: "Lyon" }, zip: { N: "69001" } } },
      lines: { L: [{ S: "a" }, { N: "-1e3" }, { L: [{ BOOL: true }] }] },
      tags: { SS: ["red", "blue"] },
      sizes: { NS: ["1", "2.5"] },
      blob: { B: b64("hi") },
      blobs: { BS: [b64("a"), b64("bc")] },
    };
    expect(unmarshallAttributes(image)).toEqual({
      id: "order-1",
      total: 12.5,
      count: 3,
      paid: false,
      note: null,
      address: { city: "Lyon", zip: 69001 },
      lines: ["a", -1000, [true]],
      tags: ["red", "blue"],
      sizes: [1, 2.5],
      blob: new Uint8Array([104, 105]),
      blobs: [new Uint8Array([97]), new Uint8Array([98, 99])],
    });
  });

  it("refuses a number a JS number cannot hold exactly, and keeps the text with numbers: \"string\"", () => {
    const image: StreamAttributeMap = { big: { N: "9007199254740993" }, precise: { N: "0.1234567890123456789" } };
    expect(() => unmarshallAttributes({ big: image.big as { N: string } })).toThrow(
      'unmarshallAttributes: attribute big (N) 9007199254740993 cannot be held exactly by a JS number; pass { numbers: "string" } to keep the decimal text.',
    );
    expect(() => unmarshallAttributes({ m: { M: { p: image.precise as { N: string } } } })).toThrow(/attribute m\.p \(N\) 0\.1234567890123456789/);
    expect(unmarshallAttributes(image, { numbers: "string" })).toEqual({ big: "9007199254740993", precise: "0.1234567890123456789" });
    // Exact ones are fine: the largest safe integer, 15 significant digits, zeros and exponents.
    expect(unmarshallAttributes({ a: { N: "9007199254740991" }, b: { N: "123456789.012345" }, c: { N: "0.000" }, d: { N: "1E+125" } })).toEqual({
      a: 9007199254740991,
      b: 123456789.012345,
      c: 0,
      d: 1e125,
    });
  });

  it("names the path of a value that is not an attribute value", () => {
    const cases: Array<[unknown, string]> = [
      [{ a: { L: [{ S: "x" }, { X: "y" }] } }, "unmarshallAttributes: attribute a[1] has the unknown type tag X (expected S, N, BOOL, NULL, M, L, SS, NS, B or BS)."],
      [{ a: { S: "x", N: "1" } }, "unmarshallAttributes: attribute a must have exactly one type tag, has S, N."],
      [{ a: { N: "twelve" } }, 'unmarshallAttributes: attribute a (N) is "twelve", not a decimal number in a string.'],
      [{ a: { M: { b: "plain" } } }, 'unmarshallAttributes: attribute a.b is not an attribute value object (e.g. { S: "text" }).'],
      [{ a: { B: "not base64!" } }, "unmarshallAttributes: attribute a (B) is not a base64 string."],
      [{ a: { NULL: false } }, "unmarshallAttributes: attribute a (NULL) must be true."],
      [{ a: { SS: ["x", 1] } }, "unmarshallAttributes: attribute a[1] (SS element) is not a string."],
      [undefined, "unmarshallAttributes: pass an attribute map such as record.dynamodb.NewImage (absent for REMOVE events and KEYS_ONLY streams)."],
    ];
    for (const [input, message] of cases) {
      let caught: unknown;
      try {
        unmarshallAttributes(input as StreamAttributeMap);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as Error).message).toBe(message);
    }
    expect(() => unmarshallAttributes({}, { numbers: "bigint" as "string" })).toThrow('numbers must be "number" or "string", got bigint');
  });

  it("unmarshalls a single value", () => {
    expect(unmarshallAttributeValue({ N: "42" })).toBe(42);
    expect(unmarshallAttributeValue({ N: "42" }, { numbers: "string" })).toBe("42");
  });
});

describe("Kinesis data", () => {
  const record = (data: string): KinesisStreamRecord => ({ kinesis: { partitionKey: "k", sequenceNumber: "49590338271490256608559692538361571095921575989136588898", data } });

  it("decodes base64 to bytes, UTF-8 text and JSON", () => {
    const r = record(b64(JSON.stringify({ device: "thermo-7", celsius: 21.5, label: "café" })));
    expect(kinesisDataJson(r)).toEqual({ device: "thermo-7", celsius: 21.5, label: "café" });
    expect(kinesisDataText(record(b64("plain text ✓")))).toBe("plain text ✓");
    expect([...kinesisDataBytes(record("AP8="))]).toEqual([0, 255]);
  });

  it("throws a StreamRecordDecodeError naming the record when the payload is not what was asked for", () => {
    const seq = "49590338271490256608559692538361571095921575989136588898";
    const cases: Array<[() => unknown, string]> = [
      [() => kinesisDataJson(record(b64("not json"))), `Kinesis record ${seq}: kinesis.data is not JSON.`],
      [() => kinesisDataText(record("AP8=")), `Kinesis record ${seq}: kinesis.data is not UTF-8 text.`],
      [() => kinesisDataBytes(record("%%%")), `Kinesis record ${seq}: kinesis.data is not base64.`],
    ];
    for (const [decode, message] of cases) {
      let caught: unknown;
      try {
        decode();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(StreamRecordDecodeError);
      expect((caught as Error).message).toBe(message);
    }
  });
});
