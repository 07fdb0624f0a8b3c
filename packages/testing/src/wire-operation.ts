import type { Operation, StepDetails, WaitDetails } from "@cairn/sdk";

/** A timestamp as it travels: a `Date` once parsed, or the text it was sent as. */
export type WireTimestamp = Date | string;

/**
 * An {@link Operation} as it appears in an invocation event or an API response, before its
 * timestamps are read into `Date`s (the AWS SDK's `WireOperation`).
 */
export interface WireOperation extends Omit<Operation, "StartTimestamp" | "EndTimestamp" | "StepDetails" | "WaitDetails"> {
  StartTimestamp: WireTimestamp | undefined;
  EndTimestamp?: WireTimestamp | undefined;
  StepDetails?: (Omit<StepDetails, "NextAttemptTimestamp"> & { NextAttemptTimestamp?: WireTimestamp | undefined }) | undefined;
  WaitDetails?: (Omit<WaitDetails, "ScheduledEndTimestamp"> & { ScheduledEndTimestamp?: WireTimestamp | undefined }) | undefined;
}
