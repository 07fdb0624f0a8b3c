import { withDurableExecution } from "@cairn/sdk";
import { createApprovalWorkflow, type ApprovalServices } from "./workflow.js";

/** Stand-ins that log what a real deployment would do. */
const demoServices: ApprovalServices = {
  async requestApproval(claim, callbackId) {
    console.log(`approval requested for ${claim.claimId}; answer with: cairn callback succeed ${callbackId} --payload '{"approver":"you"}'`);
  },
  async pay(claim) {
    return { paymentId: `pay-${claim.claimId}` };
  },
  async escalate(claim, why) {
    console.log(`escalating ${claim.claimId}: ${why}`);
  },
};

/** `cairn run examples/dist/expense-approval/handler.js --input '{"claimId":"c-1","employee":"ada","amountCents":4200}'` */
export const handler = withDurableExecution(createApprovalWorkflow(demoServices));
