import {
  CallbackExternalError,
  CallbackTimeoutError,
  type DurableContext,
} from "@cairn/sdk";

export interface ExpenseClaim {
  claimId: string;
  employee: string;
  amountCents: number;
}

/** What an approver sends back through the callback (as JSON). */
export interface Decision {
  approver: string;
  note?: string;
}

export type ApprovalOutcome =
  | { status: "PAID"; claimId: string; approver: string; paymentId: string }
  | { status: "REJECTED"; claimId: string; reason: string }
  | { status: "ESCALATED"; claimId: string; why: "no answer" | "approver went silent" };

/** The outside world, injected so tests can count what happened. */
export interface ApprovalServices {
  /** Asks an approver (e.g. posts to a chat channel) to decide; they answer through the callback id. */
  requestApproval(claim: ExpenseClaim, callbackId: string): Promise<void>;
  pay(claim: ExpenseClaim): Promise<{ paymentId: string }>;
  escalate(claim: ExpenseClaim, why: string): Promise<void>;
}

/**
 * An expense claim waits for a human decision. The approver's tool heartbeats while the claim is
 * open on their screen; a claim nobody opens for a day, or that an approver leaves open without a
 * sign of life for an hour, is escalated instead of waiting forever.
 */
export function createApprovalWorkflow(services: ApprovalServices) {
  return async (claim: ExpenseClaim, ctx: DurableContext): Promise<ApprovalOutcome> => {
    let decision: Decision;
    try {
      decision = await ctx.waitForCallback<Decision>(
        "approval",
        async (callbackId) => services.requestApproval(claim, callbackId),
        {
          timeout: { days: 1 },
          heartbeatTimeout: { hours: 1 },
          serdes: { deserialize: async (data) => JSON.parse(data ?? "{}") as Decision },
        },
      );
    } catch (error) {
      if (error instanceof CallbackExternalError) {
        return { status: "REJECTED", claimId: claim.claimId, reason: error.message };
      }
      if (error instanceof CallbackTimeoutError) {
        // The cause tells a claim nobody answered from an approver who went silent.
        const why = (error.cause as Error | undefined)?.name === "Callback.Heartbeat" ? "approver went silent" : "no answer";
        await ctx.step("escalate", async () => services.escalate(claim, why));
        return { status: "ESCALATED", claimId: claim.claimId, why };
      }
      throw error;
    }
    const { paymentId } = await ctx.step("pay", async () => services.pay(claim));
    return { status: "PAID", claimId: claim.claimId, approver: decision.approver, paymentId };
  };
}
