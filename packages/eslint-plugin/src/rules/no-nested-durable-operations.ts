import { contextOptionsSchema, type ContextOptions } from "../analysis/options.js";
import { declaredInside, DurableCode, enclosingFunctions } from "../analysis/durable-code.js";
import { createRule } from "./create-rule.js";

/**
 * A durable operation inside a step body (or a waitForCondition check, a waitForCallback
 * submitter, a retry or wait strategy) runs outside the ordered replay: the body runs once and only
 * its result is stored, so on replay the nested operation is not seen where it was. And an
 * operation called on an enclosing context inside a child callback (runInChildContext, a map
 * item, a parallel branch) is recorded in the parent, interleaved with sibling children in
 * whatever order they ran.
 */
export const noNestedDurableOperations = createRule<[ContextOptions], "insideBody" | "outerContextInChild">({
  name: "no-nested-durable-operations",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow durable operations inside step bodies and on an enclosing context inside child callbacks",
    },
    schema: [contextOptionsSchema],
    messages: {
      insideBody:
        "`{{operation}}` is called inside the {{container}}. A body runs once and only its result is stored, so a durable operation in it breaks replay. Move `{{operation}}` out of the body into the handler, or group the work with `runInChildContext`.",
      outerContextInChild:
        "`{{operation}}` uses the enclosing context `{{context}}` inside the {{container}}. Call it on the callback's own context ({{childContext}}), so the operation belongs to the child and replays in order.",
    },
  },
  defaultOptions: [{}],
  create(context, [options]) {
    const code = new DurableCode(context.sourceCode, options);
    return {
      CallExpression(node) {
        const call = code.durableCall(node);
        if (!call) return;
        for (const fn of enclosingFunctions(node)) {
          // Reaching the function that declares the context: the call is in its own scope.
          if (call.variable && declaredInside(call.variable, fn)) return;
          const role = code.roleOf(fn);
          if (role?.kind === "body" || role?.kind === "config") {
            context.report({ node, messageId: "insideBody", data: { operation: call.label, container: role.container } });
            return;
          }
          if (role?.kind === "child") {
            const param = fn.params[0];
            const childContext =
              param?.type === "Identifier" ? `\`${param.name}\`` : "add a first parameter, e.g. `async (child) => ...`";
            context.report({
              node,
              messageId: "outerContextInChild",
              data: { operation: call.label, context: call.context.name, container: role.container, childContext },
            });
            return;
          }
        }
      },
    };
  },
});
