import type { ErrorObject } from "../protocol/wire.js";

// Errors cross checkpoints as ErrorObjects. A cause chain is kept in StackTrace as lines that start
// with CAUSE_PREFIX followed by the cause's ErrorObject as JSON, outermost cause first, so every
// wrapper (StepError inside ChildContextError inside ...) survives replay.
export const CAUSE_PREFIX = "cause: ";

const MAX_CAUSE_DEPTH = 16;

type ErrorLike = Error & { errorType?: unknown; errorData?: unknown; cause?: unknown };

/** The ErrorObject for any thrown value, with its cause chain. */
export function toErrorObject(thrown: unknown): ErrorObject {
  const chain: ErrorObject[] = [];
  let current: unknown = thrown;
  while (current !== undefined && chain.length < MAX_CAUSE_DEPTH) {
    chain.push(ownErrorObject(current));
    current = current instanceof Error ? (current as ErrorLike).cause : undefined;
  }
  const [head, ...causes] = chain as [ErrorObject, ...ErrorObject[]];
  if (causes.length === 0) return head;
  return {
    ...head,
    StackTrace: [...(head.StackTrace ?? []), ...causes.map((c) => CAUSE_PREFIX + JSON.stringify(c))],
  };
}

/** The ErrorObject of one error, without its causes. */
function ownErrorObject(thrown: unknown): ErrorObject {
  if (thrown instanceof Error) {
    const e = thrown as ErrorLike;
    const type = typeof e.errorType === "string" ? e.errorType : e.name || "Error";
    const object: ErrorObject = { ErrorType: type, ErrorMessage: e.message };
    if (typeof e.errorData === "string") object.ErrorData = e.errorData;
    const frames = e.stack
      ?.split("\n")
      .slice(1)
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith(CAUSE_PREFIX));
    if (frames && frames.length > 0) object.StackTrace = frames;
    return object;
  }
  if (typeof thrown === "string") return { ErrorType: "Error", ErrorMessage: thrown };
  let message: string;
  try {
    message = JSON.stringify(thrown) ?? String(thrown);
  } catch {
    message = String(thrown);
  }
  return { ErrorType: "Error", ErrorMessage: message };
}

/** Splits an ErrorObject into its own fields and its encoded cause chain. */
export function splitCauses(object: ErrorObject): { own: ErrorObject; causes: ErrorObject[] } {
  const frames: string[] = [];
  const causes: ErrorObject[] = [];
  for (const line of object.StackTrace ?? []) {
    if (line.startsWith(CAUSE_PREFIX)) {
      try {
        causes.push(JSON.parse(line.slice(CAUSE_PREFIX.length)) as ErrorObject);
        continue;
      } catch {
        // Not ours after all: keep it as an ordinary frame.
      }
    }
    frames.push(line);
  }
  const own: ErrorObject = { ...object };
  if (frames.length > 0) own.StackTrace = frames;
  else delete own.StackTrace;
  return { own, causes };
}
