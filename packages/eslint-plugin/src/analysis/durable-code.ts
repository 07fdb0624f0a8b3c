import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import {
  BODY_METHODS,
  CHILD_METHODS,
  CONTEXT_TYPE_NAMES,
  DURABLE_METHODS,
  HANDLER_TYPE_NAMES,
  HANDLER_WRAPPERS,
  PROMISE_COMBINATORS,
} from "./durable-operations.js";
import type { ContextOptions } from "./options.js";

type Variable = TSESLint.Scope.Variable;

/** A function node of any syntax. */
export type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

/** A call of a durable operation on a recognised context, e.g. `ctx.step(...)` or `ctx.promise.all(...)`. */
export interface DurableCall {
  /** The call expression. */
  readonly node: TSESTree.CallExpression;
  /** The method, e.g. `step` or `promise.all`. */
  readonly method: string;
  /** The context expression, e.g. the `ctx` of `ctx.step`. */
  readonly context: TSESTree.Identifier;
  /** The context's variable, or undefined when it is recognised by name only. */
  readonly variable: Variable | undefined;
  /** `ctx.step` as written, for messages. */
  readonly label: string;
}

/**
 * What a function is to durable code:
 * - `handler`: a durable handler (passed to withDurableExecution) or a function with a context parameter;
 * - `body`: the body of a step, a waitForCondition check or a waitForCallback submitter (runs once, result stored);
 * - `child`: the callback of runInChildContext, a map item or a parallel branch (gets a child context);
 * - `config`: another function passed to a durable operation (retry or wait strategy, item namer).
 */
export type FunctionRole =
  | { readonly kind: "handler" }
  | { readonly kind: "body" | "child" | "config"; readonly call: DurableCall; readonly container: string };

/** Kinds of call site a function or a function-valued identifier can sit at. */
interface Site {
  readonly call: TSESTree.CallExpression;
  /** The top-level argument the function sits in (itself, or an object or array literal). */
  readonly argument: TSESTree.CallExpressionArgument;
  /** The argument was the function itself, not inside an object or array literal. */
  readonly direct: boolean;
  /** Inside a parallel branches array (a function element, or the `func` of `{ name, func }`). */
  readonly branch: boolean;
}

/**
 * Recognises durable contexts and the roles of functions in one file. One instance per rule run;
 * answers are memoised because rules ask about the same functions at every call inside them.
 */
export class DurableCode {
  private readonly contextNames: ReadonlySet<string>;
  private readonly contextMemo = new Map<Variable, boolean>();
  private readonly roleMemo = new Map<FunctionNode, FunctionRole | null>();

  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    options: ContextOptions,
  ) {
    this.contextNames = new Set(options.contextNames ?? []);
  }

  /** The variable an identifier refers to, if it is declared in this file. */
  variableOf(identifier: TSESTree.Identifier): Variable | undefined {
    return ASTUtils.findVariable(this.sourceCode.getScope(identifier), identifier) ?? undefined;
  }

  /** Is `expr` a durable context (a variable recognised as one, or a configured name)? */
  isContext(expr: TSESTree.Node): expr is TSESTree.Identifier {
    if (expr.type !== AST_NODE_TYPES.Identifier) return false;
    if (this.contextNames.has(expr.name)) return true;
    const variable = this.variableOf(expr);
    return variable !== undefined && this.isContextVariable(variable);
  }

  /** Is `variable` a durable context: a handler's second parameter, a child callback's first, typed DurableContext, configured, or an alias of one? */
  isContextVariable(variable: Variable): boolean {
    const known = this.contextMemo.get(variable);
    if (known !== undefined) return known;
    // Provisional answer, so an alias cycle (`let a = b; b = a`) ends.
    this.contextMemo.set(variable, false);
    const result = this.contextNames.has(variable.name) || variable.defs.some((def) => this.defIsContext(def));
    this.contextMemo.set(variable, result);
    return result;
  }

  private defIsContext(def: TSESLint.Scope.Definition): boolean {
    const name = def.name;
    if (name.type === AST_NODE_TYPES.Identifier && hasContextType(name.typeAnnotation)) return true;
    if (def.type === "Parameter") {
      const fn = def.node as FunctionNode;
      const index = fn.params.findIndex(
        (p) => p === name || (p.type === AST_NODE_TYPES.AssignmentPattern && p.left === name),
      );
      if (index < 0) return false;
      const role = this.roleOf(fn);
      if (role?.kind === "handler") return index === 1 && this.isWrappedHandler(fn);
      if (role?.kind === "child") return index === 0 && this.providesChildContext(fn);
      return false;
    }
    if (def.type === "Variable" && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.id === name) {
      // `const c = ctx`: an alias keeps the context's identity.
      const init = def.node.init;
      return init !== null && init !== undefined && this.isContext(init);
    }
    return false;
  }

  /** The durable operation `node` calls, or null when it is not one (or its receiver is not a known context). */
  durableCall(node: TSESTree.CallExpression): DurableCall | null {
    const callee = node.callee;
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) {
      return null;
    }
    const method = callee.property.name;
    let receiver: TSESTree.Node = callee.object;
    let qualified = method;
    if (PROMISE_COMBINATORS.has(method) && receiver.type === AST_NODE_TYPES.MemberExpression) {
      const inner = receiver;
      if (inner.computed || inner.property.type !== AST_NODE_TYPES.Identifier || inner.property.name !== "promise") return null;
      receiver = inner.object;
      qualified = `promise.${method}`;
    } else if (!DURABLE_METHODS.has(method)) {
      return null;
    }
    if (!this.isContext(receiver)) return null;
    return {
      node,
      method: qualified,
      context: receiver,
      variable: this.variableOf(receiver),
      label: `${receiver.name}.${qualified}`,
    };
  }

  /** What `fn` is to durable code, or null for a plain function. */
  roleOf(fn: FunctionNode): FunctionRole | null {
    if (this.roleMemo.has(fn)) return this.roleMemo.get(fn) ?? null;
    this.roleMemo.set(fn, null);
    const role = this.computeRole(fn);
    this.roleMemo.set(fn, role);
    return role;
  }

  /** Handler code: a handler, a child callback, or any function with a context parameter. */
  isHandlerCode(fn: FunctionNode): boolean {
    const role = this.roleOf(fn);
    if (role?.kind === "handler" || role?.kind === "child") return true;
    return fn.params.some((p) => {
      const id = p.type === AST_NODE_TYPES.AssignmentPattern ? p.left : p;
      if (id.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = this.variableOf(id);
      return variable !== undefined && this.isContextVariable(variable);
    });
  }

  private computeRole(fn: FunctionNode): FunctionRole | null {
    const direct = this.roleAtSite(siteOf(fn));
    if (direct) return direct;
    const parent = fn.parent;
    if (
      parent?.type === AST_NODE_TYPES.VariableDeclarator &&
      parent.init === fn &&
      parent.id.type === AST_NODE_TYPES.Identifier &&
      hasTypeNamed(parent.id.typeAnnotation, HANDLER_TYPE_NAMES)
    ) {
      return { kind: "handler" };
    }
    // A named function or `const f = () => ...` used only where a body goes: `ctx.step("x", load)`.
    const variable = this.namingVariable(fn);
    if (!variable) return null;
    const uses = variable.references.filter((ref) => ref.identifier !== fn.id && !ref.init);
    const roles = uses.map((ref) => this.roleAtSite(siteOf(ref.identifier)));
    if (roles.some((r) => r?.kind === "handler")) return { kind: "handler" };
    const first = roles[0];
    if (!first || roles.some((r) => r === null || r.kind !== first.kind)) return null;
    return first;
  }

  private roleAtSite(site: Site | null): FunctionRole | null {
    if (!site) return null;
    if (isHandlerWrapper(site.call.callee)) {
      return site.direct && site.call.arguments[0] === site.argument ? { kind: "handler" } : null;
    }
    const call = this.durableCall(site.call);
    if (!call) return null;
    let kind: "body" | "child" | "config" = "config";
    if (BODY_METHODS.has(call.method) && site.direct && isBodyArgument(site)) kind = "body";
    if (CHILD_METHODS.has(call.method) && (call.method === "parallel" ? site.branch : site.direct)) kind = "child";
    return { kind, call, container: describeContainer(call, kind) };
  }

  /** A child callback's first parameter is its context only for the callback itself, not for config functions. */
  private providesChildContext(fn: FunctionNode): boolean {
    return this.roleOf(fn)?.kind === "child";
  }

  private isWrappedHandler(fn: FunctionNode): boolean {
    return this.roleOf(fn)?.kind === "handler";
  }

  /** The variable a function is bound to: `function f() {}` or `const f = () => ...`. */
  private namingVariable(fn: FunctionNode): Variable | undefined {
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return this.variableOf(fn.id);
    const parent = fn.parent;
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn && parent.id.type === AST_NODE_TYPES.Identifier) {
      return this.variableOf(parent.id);
    }
    return undefined;
  }
}

/** The functions around `node`, innermost first. */
export function enclosingFunctions(node: TSESTree.Node): FunctionNode[] {
  const out: FunctionNode[] = [];
  for (let cur = node.parent; cur; cur = cur.parent) {
    if (isFunction(cur)) out.push(cur);
  }
  return out;
}

/** Is `node` a function of any syntax? */
export function isFunction(node: TSESTree.Node): node is FunctionNode {
  return (
    node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression
  );
}

/** Is `variable` declared inside `fn` (its parameters included)? */
export function declaredInside(variable: Variable, fn: FunctionNode): boolean {
  return variable.defs.some((def) => def.name.range[0] >= fn.range[0] && def.name.range[1] <= fn.range[1]);
}

/** `step body "load-order"`, `map callback "price-lines"`, `options of step "charge"`, for messages. */
function describeContainer(call: DurableCall, kind: "body" | "child" | "config"): string {
  const first = call.node.arguments[0];
  const name = first?.type === AST_NODE_TYPES.Literal && typeof first.value === "string" ? ` "${first.value}"` : "";
  if (kind === "body") return `${BODY_METHODS.get(call.method) ?? call.method}${name}`;
  if (kind === "child") return `${call.method} callback${name}`;
  return `options of ${call.method}${name}`;
}

/**
 * Climbs from a node that may be a call argument through object literals (`{ func }`, config
 * objects), array literals (parallel branches) and type assertions to the call it is passed to.
 */
function siteOf(node: TSESTree.Node): Site | null {
  let cur: TSESTree.Node = node;
  let direct = true;
  let branch = false;
  for (;;) {
    const parent = cur.parent;
    if (!parent) return null;
    switch (parent.type) {
      case AST_NODE_TYPES.CallExpression:
        return parent.arguments.includes(cur as TSESTree.CallExpressionArgument)
          ? { call: parent, argument: cur as TSESTree.CallExpressionArgument, direct, branch }
          : null;
      case AST_NODE_TYPES.Property:
        if (parent.value !== cur) return null;
        // `{ name, func }` inside a branches array: only `func` is a branch.
        branch = parent.key.type === AST_NODE_TYPES.Identifier && parent.key.name === "func" && isInArray(parent.parent);
        direct = false;
        break;
      case AST_NODE_TYPES.ArrayExpression:
        if (cur === node) branch = true;
        direct = false;
        break;
      case AST_NODE_TYPES.ObjectExpression:
        direct = false;
        break;
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
        break;
      default:
        return null;
    }
    cur = parent;
  }
}

function isInArray(objectNode: TSESTree.Node | undefined): boolean {
  return objectNode?.type === AST_NODE_TYPES.ObjectExpression && objectNode.parent?.type === AST_NODE_TYPES.ArrayExpression;
}

/**
 * The body is the first function argument: `step(fn)`, `step("name", fn)`, `step(name, fn)`. An
 * identifier before it is taken for a name; functions after it sit in the config.
 */
function isBodyArgument(site: Site): boolean {
  const index = site.call.arguments.indexOf(site.argument);
  return site.call.arguments.slice(0, index).every((a) => !isFunction(a));
}

function isHandlerWrapper(callee: TSESTree.Expression): boolean {
  if (callee.type === AST_NODE_TYPES.Identifier) return HANDLER_WRAPPERS.has(callee.name);
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.property.type === AST_NODE_TYPES.Identifier &&
    HANDLER_WRAPPERS.has(callee.property.name)
  );
}

function hasContextType(annotation: TSESTree.TSTypeAnnotation | undefined): boolean {
  return hasTypeNamed(annotation, CONTEXT_TYPE_NAMES);
}

/** `x: Name`, `x: Name<T>` or `x: sdk.Name` for one of `names`. */
function hasTypeNamed(annotation: TSESTree.TSTypeAnnotation | undefined, names: ReadonlySet<string>): boolean {
  const type = annotation?.typeAnnotation;
  if (type?.type !== AST_NODE_TYPES.TSTypeReference) return false;
  const name = type.typeName;
  if (name.type === AST_NODE_TYPES.Identifier) return names.has(name.name);
  return name.type === AST_NODE_TYPES.TSQualifiedName && names.has(name.right.name);
}
