import { noFloatingDurablePromises } from "./no-floating-durable-promises.js";
import { noMutationInStep } from "./no-mutation-in-step.js";
import { noNestedDurableOperations } from "./no-nested-durable-operations.js";
import { noNonDeterministicOutsideStep } from "./no-non-deterministic-outside-step.js";

/** Every rule of the plugin, by the name it is configured under (after the `@cairn/` prefix). */
export const allRules = {
  "no-nested-durable-operations": noNestedDurableOperations,
  "no-floating-durable-promises": noFloatingDurablePromises,
  "no-non-deterministic-outside-step": noNonDeterministicOutsideStep,
  "no-mutation-in-step": noMutationInStep,
};
