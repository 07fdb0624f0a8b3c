import { ValidationError } from "../errors/validation-error.js";

// The rule the Lambda durable-execution service applies to an operation's SubType: a store that
// accepted anything else would let a handler pass locally and fail on AWS.
const SUB_TYPE = /^[A-Za-z0-9_-]{1,32}$/;

/** The `subType` of a step or callback config, checked; undefined selects the operation's default. */
export function customSubType(operation: string, subType: unknown): string | undefined {
  if (subType === undefined) return undefined;
  if (typeof subType !== "string" || !SUB_TYPE.test(subType)) {
    throw new ValidationError(
      `${operation}: subType must be 1 to 32 characters from A-Z, a-z, 0-9, "-" and "_" (e.g. "Payment"), got ` +
        `${typeof subType === "string" ? JSON.stringify(subType) : typeof subType}. Leave it out to record the default.`,
    );
  }
  return subType;
}
