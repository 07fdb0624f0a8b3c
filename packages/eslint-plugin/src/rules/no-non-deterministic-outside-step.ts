import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { contextOptionsSchema, type ContextOptions } from "../analysis/options.js";
import { DurableCode, enclosingFunctions, isFunction, type FunctionNode } from "../analysis/durable-code.js";
import { BODY_METHODS } from "../analysis/durable-operations.js";
import { createRule } from "./create-rule.js";

/** `object.method()` calls whose result differs between the first run and a replay. */
const MEMBER_CALLS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["Date", new Set(["now"])],
  ["Math", new Set(["random"])],
  ["performance", new Set(["now"])],
  ["crypto", new Set(["randomUUID", "getRandomValues", "randomBytes", "randomInt"])],
  ["process", new Set(["hrtime"])],
]);

/** Modules whose every export makes a fresh random id. */
const RANDOM_ID_MODULES: ReadonlySet<string> = new Set(["uuid", "nanoid", "ulid"]);
/** Node's crypto module: imported random functions (`import { randomUUID } from "node:crypto"`). */
const CRYPTO_MODULES: ReadonlySet<string> = new Set(["crypto", "node:crypto"]);

/** Where a non-deterministic call sits, as this rule sees it. */
type Placement = "handler" | "step" | "helper";

/**
 * Handler code runs again on every replay, so a clock read or a random value in it differs from
 * the first run and the handler takes another path. Inside a step body the value is computed once
 * and stored, which is what makes it safe. Code outside any handler (module setup, helpers) is
 * left alone, except that a same-file helper that reads a clock, called from handler code outside
 * a step, is reported at the call.
 */
export const noNonDeterministicOutsideStep = createRule<[ContextOptions], "outsideStep" | "helperOutsideStep" | "referenceOutsideStep">({
  name: "no-non-deterministic-outside-step",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow clocks, random values and random ids in handler code outside a step",
    },
    schema: [contextOptionsSchema],
    messages: {
      outsideStep:
        "`{{operation}}` in handler code gives another value on replay, so the handler can take another path. Compute it inside a step, e.g. `const value = await ctx.step(\"{{suggestion}}\", async () => {{operation}})`, and use the stored result.",
      referenceOutsideStep:
        "`{{operation}}` is passed on as a function in handler code; whatever calls it gets another value on replay. Call it inside a step and use the stored result.",
      helperOutsideStep:
        "`{{callee}}()` uses `{{operation}}`, which gives another value on replay. Call `{{callee}}()` inside a step and use the stored result.",
    },
  },
  defaultOptions: [{}],
  create(context, [options]) {
    const code = new DurableCode(context.sourceCode, options);
    /** Functions outside handler code that use a non-deterministic call, with the first such call. */
    const impure = new Map<FunctionNode, string>();
    /** Calls of plain functions: who calls whom, to carry impurity to callers. */
    const edges: { caller: FunctionNode; callee: TSESTree.Identifier }[] = [];
    /** Calls from handler code outside a step, checked once every helper is known. */
    const handlerCalls: { node: TSESTree.CallExpression; callee: TSESTree.Identifier }[] = [];

    function placement(node: TSESTree.Node): Placement {
      for (const fn of enclosingFunctions(node)) {
        const role = code.roleOf(fn);
        if (role?.kind === "body") return "step";
        // A step's retry strategy, a poll's wait strategy: their outcome is stored with the step.
        // A map's itemNamer is not: it names operations on every replay.
        if (role?.kind === "config") return BODY_METHODS.has(role.call.method) ? "step" : "handler";
        if (code.isHandlerCode(fn)) return "handler";
      }
      return "helper";
    }

    function found(node: TSESTree.Node, operation: string, asReference = false): void {
      const where = placement(node);
      if (where === "handler" && asReference) {
        context.report({ node, messageId: "referenceOutsideStep", data: { operation } });
      } else if (where === "handler") {
        context.report({ node, messageId: "outsideStep", data: { operation, suggestion: suggestName(operation) } });
      } else if (where === "helper") {
        const fn = enclosingFunctions(node)[0];
        if (fn && !impure.has(fn)) impure.set(fn, operation);
      }
    }

    return {
      CallExpression(node) {
        const operation = nonDeterministicCall(node, context.sourceCode);
        if (operation) {
          found(node, operation);
          return;
        }
        if (node.callee.type !== AST_NODE_TYPES.Identifier) return;
        const where = placement(node);
        if (where === "handler") handlerCalls.push({ node, callee: node.callee });
        const caller = enclosingFunctions(node)[0];
        if (where === "helper" && caller) edges.push({ caller, callee: node.callee });
      },
      // `event.items.map(Math.random)`, `const now = Date.now`: the function escapes uncalled.
      MemberExpression(node) {
        if (node.parent.type === AST_NODE_TYPES.CallExpression && node.parent.callee === node) return;
        if (node.parent.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node) return;
        if (node.computed || node.object.type !== AST_NODE_TYPES.Identifier || node.property.type !== AST_NODE_TYPES.Identifier) return;
        if (MEMBER_CALLS.get(node.object.name)?.has(node.property.name)) found(node, `${node.object.name}.${node.property.name}`, true);
      },
      NewExpression(node) {
        if (node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === "Date" && node.arguments.length === 0) {
          found(node, "new Date()");
        }
      },
      "Program:exit"() {
        const targets = (callee: TSESTree.Identifier): FunctionNode[] => functionsNamed(code, callee);
        // Carry impurity from a helper to the helpers that call it, until nothing changes.
        let changed = true;
        while (changed) {
          changed = false;
          for (const { caller, callee } of edges) {
            if (impure.has(caller)) continue;
            const op = targets(callee)
              .map((fn) => impure.get(fn))
              .find((o) => o !== undefined);
            if (op !== undefined) {
              impure.set(caller, op);
              changed = true;
            }
          }
        }
        for (const { node, callee } of handlerCalls) {
          const op = targets(callee)
            .map((fn) => impure.get(fn))
            .find((o) => o !== undefined);
          if (op !== undefined) context.report({ node, messageId: "helperOutsideStep", data: { callee: callee.name, operation: op } });
        }
      },
    };
  },
});

/** The non-deterministic operation `node` calls, as written for the message, or null. */
function nonDeterministicCall(node: TSESTree.CallExpression, sourceCode: Readonly<TSESLint.SourceCode>): string | null {
  const callee = node.callee;
  if (callee.type === AST_NODE_TYPES.Identifier) {
    if (callee.name === "Date") return "Date()";
    const module = importedFrom(callee, sourceCode);
    if (module !== null && (RANDOM_ID_MODULES.has(module) || (CRYPTO_MODULES.has(module) && isCryptoRandom(callee.name)))) {
      return `${callee.name}()`;
    }
    return null;
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) {
    return null;
  }
  const method = callee.property.name;
  const object = callee.object;
  if (object.type === AST_NODE_TYPES.Identifier && MEMBER_CALLS.get(object.name)?.has(method)) return `${object.name}.${method}()`;
  // process.hrtime.bigint(), globalThis.crypto.randomUUID()
  if (object.type === AST_NODE_TYPES.MemberExpression && !object.computed && object.property.type === AST_NODE_TYPES.Identifier) {
    const inner = object.property.name;
    if (object.object.type === AST_NODE_TYPES.Identifier && object.object.name === "process" && inner === "hrtime" && method === "bigint") {
      return "process.hrtime.bigint()";
    }
    if (MEMBER_CALLS.get(inner)?.has(method)) return `${inner}.${method}()`;
  }
  return null;
}

function isCryptoRandom(name: string): boolean {
  return MEMBER_CALLS.get("crypto")?.has(name) ?? false;
}

/** The module an identifier is imported from, or null when it is not an import. */
function importedFrom(identifier: TSESTree.Identifier, sourceCode: Readonly<TSESLint.SourceCode>): string | null {
  let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(identifier);
  for (; scope; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (!variable) continue;
    for (const def of variable.defs) {
      if (def.type === "ImportBinding" && def.parent.type === AST_NODE_TYPES.ImportDeclaration) return def.parent.source.value;
    }
    return null;
  }
  return null;
}

/** The functions a called identifier names in this file: `function f` or `const f = () => ...`. */
function functionsNamed(code: DurableCode, callee: TSESTree.Identifier): FunctionNode[] {
  const variable = code.variableOf(callee);
  if (!variable) return [];
  const out: FunctionNode[] = [];
  for (const def of variable.defs) {
    if (def.node.type === AST_NODE_TYPES.FunctionDeclaration) out.push(def.node);
    if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && isFunction(def.node.init)) out.push(def.node.init);
  }
  return out;
}

function suggestName(operation: string): string {
  if (operation.startsWith("Date") || operation.includes("now") || operation.includes("hrtime") || operation === "new Date()") return "now";
  return "random";
}
