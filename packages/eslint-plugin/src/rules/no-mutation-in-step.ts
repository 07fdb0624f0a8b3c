import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { contextOptionsSchema, type ContextOptions } from "../analysis/options.js";
import { declaredInside, DurableCode, enclosingFunctions, type FunctionNode, type FunctionRole } from "../analysis/durable-code.js";
import { createRule } from "./create-rule.js";

/**
 * A step body (and a waitForCondition check, a waitForCallback submitter, a child callback) does
 * not run on replay: its stored result stands in for it. An assignment it makes to a variable of
 * the enclosing code happens on the first run only, so code after it reads another value on
 * replay. Sees assignments and `++`/`--` to captured variables and to properties of captured
 * objects; method calls that mutate (`list.push(x)`) are out of its sight. Variables outside the
 * handler that handler code never reads (a test's counter of body runs) are left alone.
 */
export const noMutationInStep = createRule<[ContextOptions], "capturedWrite" | "capturedPropertyWrite">({
  name: "no-mutation-in-step",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow assigning variables of the enclosing code inside step bodies and child callbacks",
    },
    schema: [contextOptionsSchema],
    messages: {
      capturedWrite:
        "`{{name}}` belongs to the enclosing code and is assigned inside the {{container}}, which does not run on replay: code after it would see another value. Return the value from the {{container}} instead and assign the result: `{{name}} = await {{operation}}(...)`.",
      capturedPropertyWrite:
        "`{{target}}` changes `{{name}}`, which belongs to the enclosing code, inside the {{container}}, which does not run on replay: code after it would see another value. Return the value from the {{container}} instead and build `{{name}}` from the result.",
    },
  },
  defaultOptions: [{}],
  create(context, [options]) {
    const code = new DurableCode(context.sourceCode, options);
    const sourceCode = context.sourceCode;
    const reported = new Set<TSESTree.Node>();

    /** The innermost enclosing function whose body does not replay, if any. */
    function nonReplayingBody(node: TSESTree.Node): { fn: FunctionNode; role: Exclude<FunctionRole, { kind: "handler" }> } | null {
      for (const fn of enclosingFunctions(node)) {
        const role = code.roleOf(fn);
        if (role && (role.kind === "body" || role.kind === "child")) return { fn, role };
      }
      return null;
    }

    function checkWrite(node: TSESTree.Node, target: TSESTree.Node): void {
      const root = rootIdentifier(target);
      if (!root || reported.has(root)) return;
      const variable = code.variableOf(root);
      // Undeclared globals are not the handler's state; parameters and locals of the body are its own.
      if (!variable || variable.defs.length === 0) return;
      // Only the innermost such body matters: a variable declared inside it is its own, and one
      // declared outside it is lost on replay whichever outer code owns it.
      const body = nonReplayingBody(node);
      if (!body || declaredInside(variable, body.fn) || isOwnName(variable, body.fn)) return;
      if (!isHandlerState(variable)) return;
      reported.add(root);
      const data = { name: root.name, container: body.role.container, operation: body.role.call.label };
      if (target === root) {
        context.report({ node: root, messageId: "capturedWrite", data });
      } else {
        context.report({ node: target, messageId: "capturedPropertyWrite", data: { ...data, target: sourceCode.getText(target) } });
      }
    }

    /**
     * Handler state: declared in handler code (the handler's locals and parameters, a child
     * callback's), or read by handler code outside a body. A module- or test-level counter that
     * only bodies and non-handler code touch (instrumentation) is not.
     */
    function isHandlerState(variable: TSESLint.Scope.Variable): boolean {
      if (variable.defs.some((def) => enclosingFunctions(def.name).some((fn) => code.isHandlerCode(fn)))) return true;
      return variable.references.some((ref) => ref.isRead() && !nonReplayingBody(ref.identifier) && inHandlerCode(ref.identifier));
    }

    function inHandlerCode(node: TSESTree.Node): boolean {
      return enclosingFunctions(node).some((fn) => code.isHandlerCode(fn));
    }

    return {
      AssignmentExpression(node) {
        for (const target of assignedTargets(node.left)) checkWrite(node, target);
      },
      UpdateExpression(node) {
        checkWrite(node, node.argument);
      },
    };
  },
});

/** The identifiers and member expressions a left-hand side writes, destructuring included. */
function assignedTargets(pattern: TSESTree.Node): TSESTree.Node[] {
  switch (pattern.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.MemberExpression:
      return [pattern];
    case AST_NODE_TYPES.ArrayPattern:
      return pattern.elements.flatMap((e) => (e ? assignedTargets(e) : []));
    case AST_NODE_TYPES.ObjectPattern:
      return pattern.properties.flatMap((p) => assignedTargets(p.type === AST_NODE_TYPES.Property ? p.value : p.argument));
    case AST_NODE_TYPES.AssignmentPattern:
      return assignedTargets(pattern.left);
    case AST_NODE_TYPES.RestElement:
      return assignedTargets(pattern.argument);
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSAsExpression:
      return assignedTargets(pattern.expression);
    default:
      return [];
  }
}

/** `total` for `total`, `state.items[0].count`, `(state as S).x`; null for `this.x` or a call result. */
function rootIdentifier(node: TSESTree.Node): TSESTree.Identifier | null {
  let cur: TSESTree.Node = node;
  for (;;) {
    if (cur.type === AST_NODE_TYPES.Identifier) return cur;
    if (cur.type === AST_NODE_TYPES.MemberExpression) cur = cur.object;
    else if (cur.type === AST_NODE_TYPES.TSNonNullExpression || cur.type === AST_NODE_TYPES.TSAsExpression) cur = cur.expression;
    else return null;
  }
}

/** A named function expression's own name lives outside it but is no shared state. */
function isOwnName(variable: { defs: readonly { node: TSESTree.Node }[] }, fn: FunctionNode): boolean {
  return variable.defs.some((def) => def.node === fn);
}
