// Reads the JSON body of POST /api/callbacks/:id/:action into the answer the service takes,
// naming the field that is wrong so the page (or a script) can say what to fix.
import type { ErrorObject } from "@cairn/sdk";
import type { CallbackAnswer } from "./data-source.js";

/** A body the API refuses with 400. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadRequestError";
  }
}

/** The actions the callback route takes, as in `cairn callback <action>`. */
export const CALLBACK_ACTIONS = ["succeed", "fail", "heartbeat"] as const;
/** One of {@link CALLBACK_ACTIONS}. */
export type CallbackAction = (typeof CALLBACK_ACTIONS)[number];

const ERROR_FIELDS = ["ErrorType", "ErrorMessage", "ErrorData"];

/**
 * `succeed` takes `{"payload": <any JSON value>}` (stored as its JSON text, as `--payload` is;
 * no payload: none); `fail` takes `{"error": {"ErrorType"?, "ErrorMessage"?, "ErrorData"?}}`;
 * `heartbeat` takes `{}`. An empty body counts as `{}`.
 */
export function parseCallbackBody(action: CallbackAction, text: string): CallbackAnswer {
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new BadRequestError(`The body is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadRequestError('The body must be a JSON object, e.g. {"payload":{"approved":true}}.');
  }
  const fields = body as Record<string, unknown>;
  const allowed = action === "succeed" ? ["payload"] : action === "fail" ? ["error"] : [];
  const extra = Object.keys(fields).filter((key) => !allowed.includes(key));
  if (extra.length > 0) {
    const takes = allowed.length === 0 ? "no fields" : `only "${allowed[0]}"`;
    throw new BadRequestError(`"${action}" takes ${takes}; unexpected field ${extra.map((k) => `"${k}"`).join(", ")}.`);
  }
  if (action === "succeed") {
    return { action, payload: fields.payload === undefined ? undefined : JSON.stringify(fields.payload) };
  }
  if (action === "fail") return { action, error: parseError(fields.error) };
  return { action };
}

function parseError(value: unknown): ErrorObject | undefined {
  if (value === undefined) return undefined;
  const example = 'e.g. {"error":{"ErrorType":"Rejected","ErrorMessage":"over budget"}}';
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BadRequestError(`"error" must be an object with ErrorType, ErrorMessage and/or ErrorData; ${example}.`);
  }
  const error = value as Record<string, unknown>;
  for (const [key, field] of Object.entries(error)) {
    if (!ERROR_FIELDS.includes(key)) throw new BadRequestError(`"error" has unknown field "${key}"; use ErrorType, ErrorMessage, ErrorData; ${example}.`);
    if (typeof field !== "string") throw new BadRequestError(`"error.${key}" must be a string; ${example}.`);
  }
  return error as ErrorObject;
}
