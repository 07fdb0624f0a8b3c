import { ValidationError } from "../errors/validation-error.js";

/**
 * A DynamoDB attribute value in the JSON form Lambda delivers in DynamoDB Streams records
 * (`dynamodb.Keys`, `NewImage`, `OldImage`): exactly one type tag per value. Binary values (B, BS)
 * arrive base64-encoded.
 */
export type StreamAttributeValue =
  | {
      /** A string. */
      S: string;
    }
  | {
      /** A number, as decimal text. */
      N: string;
    }
  | {
      /** A boolean. */
      BOOL: boolean;
    }
  | {
      /** Null; DynamoDB always sends true, and false is refused when unmarshalling. */
      NULL: boolean;
    }
  | {
      /** A map of attribute values. */
      M: StreamAttributeMap;
    }
  | {
      /** A list of attribute values. */
      L: StreamAttributeValue[];
    }
  | {
      /** A string set. */
      SS: string[];
    }
  | {
      /** A number set, as decimal text. */
      NS: string[];
    }
  | {
      /** Binary, base64-encoded. */
      B: string;
    }
  | {
      /** A binary set, base64-encoded. */
      BS: string[];
    };

/** An item (or its keys) as attribute values by name, as in `dynamodb.NewImage`. */
export type StreamAttributeMap = Record<string, StreamAttributeValue>;

/**
 * A plain value from an attribute value: S → string, N → number (or string, see
 * `UnmarshallOptions.numbers`), BOOL → boolean, NULL → null, M → object, L → array, B → bytes,
 * and the sets SS / NS / BS → arrays in delivered order (arrays, not Sets, so a result that holds
 * them checkpoints as JSON).
 */
export type UnmarshalledValue = string | number | boolean | null | Uint8Array | UnmarshalledValue[] | { [name: string]: UnmarshalledValue };

/** Options of {@link unmarshallAttributes} and {@link unmarshallAttributeValue}. */
export interface UnmarshallOptions {
  /**
   * How N (and NS) values come out. "number" (default) gives JS numbers and throws a
   * ValidationError for a value a number cannot hold exactly (more than 15 significant digits,
   * or an integer beyond Number.MAX_SAFE_INTEGER); "string" keeps DynamoDB's decimal text as is.
   */
  numbers?: "number" | "string";
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Turns a DynamoDB attribute map (e.g. `record.dynamodb.NewImage`) into a plain object. Throws a
 * ValidationError naming the attribute's path when a value is not a DynamoDB attribute value.
 * NewImage is absent for REMOVE events and for KEYS_ONLY / OLD_IMAGE streams: check before calling.
 */
export function unmarshallAttributes(map: StreamAttributeMap, options: UnmarshallOptions = {}): Record<string, UnmarshalledValue> {
  const numbers = numbersOption(options);
  if (!isObject(map)) {
    throw new ValidationError(
      "unmarshallAttributes: pass an attribute map such as record.dynamodb.NewImage (absent for REMOVE events and KEYS_ONLY streams).",
    );
  }
  return unmarshallMap(map, "", numbers);
}

/** Turns one DynamoDB attribute value into a plain value (see `unmarshallAttributes`). */
export function unmarshallAttributeValue(value: StreamAttributeValue, options: UnmarshallOptions = {}): UnmarshalledValue {
  return unmarshallValue(value, "value", numbersOption(options));
}

function numbersOption(options: UnmarshallOptions): "number" | "string" {
  const numbers = options.numbers ?? "number";
  if (numbers !== "number" && numbers !== "string") {
    throw new ValidationError(`unmarshallAttributes: numbers must be "number" or "string", got ${String(numbers)}.`);
  }
  return numbers;
}

function unmarshallMap(map: Record<string, unknown>, path: string, numbers: "number" | "string"): Record<string, UnmarshalledValue> {
  const out: Record<string, UnmarshalledValue> = {};
  for (const [name, value] of Object.entries(map)) {
    out[name] = unmarshallValue(value, path === "" ? name : `${path}.${name}`, numbers);
  }
  return out;
}

function unmarshallValue(value: unknown, path: string, numbers: "number" | "string"): UnmarshalledValue {
  if (!isObject(value)) throw bad(path, "is not an attribute value object (e.g. { S: \"text\" })");
  const tags = Object.keys(value);
  if (tags.length !== 1) throw bad(path, `must have exactly one type tag, has ${tags.length === 0 ? "none" : tags.join(", ")}`);
  const tag = tags[0] as string;
  const inner = value[tag];
  switch (tag) {
    case "S":
      if (typeof inner !== "string") throw bad(path, "(S) is not a string");
      return inner;
    case "N":
      return number(inner, path, numbers);
    case "BOOL":
      if (typeof inner !== "boolean") throw bad(path, "(BOOL) is not a boolean");
      return inner;
    case "NULL":
      if (inner !== true) throw bad(path, "(NULL) must be true");
      return null;
    case "B":
      return bytes(inner, path);
    case "M":
      if (!isObject(inner)) throw bad(path, "(M) is not an object");
      return unmarshallMap(inner, path, numbers);
    case "L":
      if (!Array.isArray(inner)) throw bad(path, "(L) is not an array");
      return inner.map((element, index) => unmarshallValue(element, `${path}[${index}]`, numbers));
    case "SS":
      return set(inner, path, "SS").map((element, index) => {
        if (typeof element !== "string") throw bad(`${path}[${index}]`, "(SS element) is not a string");
        return element;
      });
    case "NS":
      return set(inner, path, "NS").map((element, index) => number(element, `${path}[${index}]`, numbers));
    case "BS":
      return set(inner, path, "BS").map((element, index) => bytes(element, `${path}[${index}]`));
    default:
      throw bad(path, `has the unknown type tag ${tag} (expected S, N, BOOL, NULL, M, L, SS, NS, B or BS)`);
  }
}

function number(text: unknown, path: string, numbers: "number" | "string"): string | number {
  if (typeof text !== "string" || !DECIMAL.test(text)) throw bad(path, `(N) is ${JSON.stringify(text)}, not a decimal number in a string`);
  if (numbers === "string") return text;
  const value = Number(text);
  if (!exact(text, value)) {
    throw bad(path, `(N) ${text} cannot be held exactly by a JS number; pass { numbers: "string" } to keep the decimal text`);
  }
  return value;
}

/** True when `value` is the number `text` denotes, with no digit lost (15 significant digits always round-trip). */
function exact(text: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (/^-?\d+$/.test(text)) return Number.isSafeInteger(value);
  const mantissa = text.replace(/^-/, "").replace(/[eE].*$/, "").replace(".", "");
  const significant = mantissa.replace(/^0+/, "").replace(/0+$/, "");
  if (significant.length === 0) return true; // a zero
  return significant.length <= 15 && value !== 0;
}

function bytes(text: unknown, path: string): Uint8Array {
  if (typeof text !== "string" || !BASE64.test(text) || text.length % 4 === 1) throw bad(path, "(B) is not a base64 string");
  return new Uint8Array(Buffer.from(text, "base64"));
}

function set(inner: unknown, path: string, tag: string): unknown[] {
  if (!Array.isArray(inner)) throw bad(path, `(${tag}) is not an array`);
  return inner;
}

function bad(path: string, problem: string): ValidationError {
  return new ValidationError(`unmarshallAttributes: attribute ${path} ${problem}.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
