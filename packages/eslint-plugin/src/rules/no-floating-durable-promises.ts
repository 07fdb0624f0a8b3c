import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { contextOptionsSchema, type ContextOptions } from "../analysis/options.js";
import { DurableCode } from "../analysis/durable-code.js";
import { createRule } from "./create-rule.js";

/** Methods that chain on a promise and return another one that still has to be awaited. */
const CHAINING = new Set(["then", "catch", "finally"]);

/**
 * A durable operation that nobody awaits may still be running when the handler returns, and its
 * failure is lost; replay then meets it in a different place. Syntactic: it looks at what the
 * call's value flows into in the same statement, and for a variable, whether it is ever read.
 */
export const noFloatingDurablePromises = createRule<[ContextOptions], "floating" | "neverUsed">({
  name: "no-floating-durable-promises",
  meta: {
    type: "problem",
    docs: {
      description: "Require every durable operation to be awaited, returned, or passed to a combinator",
    },
    schema: [contextOptionsSchema],
    messages: {
      floating:
        "`{{operation}}` is not awaited. An operation nobody awaits can still be running when the handler returns, and its failure is lost. Write `await {{operation}}(...)`, return it, or pass it to `{{context}}.promise.all([...])`.",
      neverUsed:
        "`{{operation}}` is stored in `{{name}}`, which is never read. Await `{{name}}` or pass it to `{{context}}.promise.all([...])` before the handler returns.",
    },
  },
  defaultOptions: [{}],
  create(context, [options]) {
    const code = new DurableCode(context.sourceCode, options);
    return {
      CallExpression(node) {
        const call = code.durableCall(node);
        if (!call) return;
        const outer = outermostChain(node);
        const parent = outer.parent;
        const data = { operation: call.label, context: call.context.name };
        if (
          parent?.type === AST_NODE_TYPES.ExpressionStatement ||
          (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === "void")
        ) {
          context.report({ node, messageId: "floating", data });
          return;
        }
        if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === outer && parent.id.type === AST_NODE_TYPES.Identifier) {
          const variable = code.variableOf(parent.id);
          const read = variable?.references.some((ref) => ref.isRead()) ?? true;
          if (!read) context.report({ node, messageId: "neverUsed", data: { ...data, name: parent.id.name } });
        }
      },
    };
  },
});

/** `ctx.step(...).then(...).catch(...)`: the expression whose value is what the chain produces. */
function outermostChain(node: TSESTree.Expression): TSESTree.Expression {
  let cur: TSESTree.Expression = node;
  for (;;) {
    const parent: TSESTree.Node | undefined = cur.parent;
    if (
      parent?.type === AST_NODE_TYPES.MemberExpression &&
      parent.object === cur &&
      !parent.computed &&
      parent.property.type === AST_NODE_TYPES.Identifier &&
      CHAINING.has(parent.property.name) &&
      parent.parent.type === AST_NODE_TYPES.CallExpression &&
      parent.parent.callee === parent
    ) {
      cur = parent.parent;
    } else if (
      parent?.type === AST_NODE_TYPES.TSAsExpression ||
      parent?.type === AST_NODE_TYPES.TSNonNullExpression ||
      parent?.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      parent?.type === AST_NODE_TYPES.ChainExpression
    ) {
      cur = parent;
    } else {
      return cur;
    }
  }
}
