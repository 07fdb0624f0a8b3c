import type { Operation, StepDetails, WaitDetails } from "@cairn/sdk";

/** A timestamp as it travels: a `Date` once parsed, or the text it was sent as. */
export type WireTimestamp = Date | string;

/**
 * An {@link Operation} as it appears in an invocation event or an API response, before its
 * timestamps are read into `Date`s (the AWS SDK's `WireOperation`).
 */
export interface WireOperation extends Omit<Operation, "StartTimestamp" | "EndTimestamp" | "StepDetails" | "WaitDetails"> {
  /** When the operation started, as sent. */
  StartTimestamp: WireTimestamp | undefined;
  /** When it ended, as sent; absent while it runs. */
  EndTimestamp?: WireTimestamp | undefined;
  /** A step's attempt, result or error, with its next attempt's time as sent. */
  StepDetails?:
    | (Omit<StepDetails, "NextAttemptTimestamp"> & {
        /** When the next attempt is due, as sent. */
        NextAttemptTimestamp?: WireTimestamp | undefined;
      })
    | undefined;
  /** A wait's end time as sent. */
  WaitDetails?:
    | (Omit<WaitDetails, "ScheduledEndTimestamp"> & {
        /** When the wait is due to end, as sent. */
        ScheduledEndTimestamp?: WireTimestamp | undefined;
      })
    | undefined;
}
