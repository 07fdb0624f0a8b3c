import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from "@opentelemetry/api";
import type {
  AttemptEndInfo,
  AttemptInfo,
  ChildContextFnInfo,
  CustomerFn,
  CustomerFnResult,
  DurableExecutionInvocationOutput,
  DurableInstrumentationPlugin,
  InvocationEndInfo,
  InvocationInfo,
  OperationEndInfo,
  OperationInfo,
} from "@cairn/sdk";
import * as attr from "./attributes.js";
import type { ResolvedOptions } from "./options.js";
import { startSpanWithId } from "./span-id-generator.js";
import { attemptSpanName, INVOCATION_SPAN_NAME, operationSpanName } from "./span-names.js";
import { executionRootSpanId, executionTraceId, invocationSpanId, operationSpanId, parseTraceparent } from "./trace-ids.js";

const ERROR_STATUSES = new Set(["FAILED", "TIMED_OUT", "STOPPED"]);
const TERMINAL_STATUSES = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED", "CANCELLED"]);

/**
 * The spans of one invocation. The plugin's factory makes one per invocation, so its state (the
 * invocation span, attempts in flight) belongs to that invocation alone.
 *
 * Spans of operations are created when the operation ends, with its recorded start time, by
 * whichever invocation sees it end; their span ids come from the execution and the operation, so
 * the children emitted earlier (in this or another process) already point at them.
 */
export class InvocationTracer implements DurableInstrumentationPlugin {
  readonly #options: ResolvedOptions;
  readonly #arn: string;
  readonly #span: Span;
  readonly #context: Context;
  /** The tracer honours requested span ids (a DurableSpanIdGenerator is installed): operation spans nest. */
  readonly #nested: boolean;
  readonly #attempts = new Map<string, Span>();

  constructor(options: ResolvedOptions, info: InvocationInfo) {
    this.#options = options;
    this.#arn = info.executionArn;
    const parent = trace.setSpanContext(ROOT_CONTEXT, this.#executionParent(info.executionInput));
    const requested = invocationSpanId(this.#arn, info.requestId);
    // The platform's own span for this request (e.g. a Lambda instrumentation's), if any, is linked.
    const platform = trace.getSpanContext(context.active());
    const links: Link[] = platform && trace.isSpanContextValid(platform) ? [{ context: platform }] : [];
    this.#span = startSpanWithId(options.tracer(), requested, (tracer) =>
      tracer.startSpan(
        INVOCATION_SPAN_NAME,
        {
          kind: SpanKind.SERVER,
          links,
          attributes: {
            [attr.ATTR_CAIRN_EXECUTION_ARN]: this.#arn,
            [attr.ATTR_CAIRN_INVOCATION_REQUEST_ID]: info.requestId,
            [attr.ATTR_CAIRN_INVOCATION_FIRST]: info.isFirstInvocation,
          },
        },
        parent,
      ),
    );
    this.#nested = this.#span.spanContext().spanId === requested;
    this.#context = trace.setSpan(parent, this.#span);
  }

  /** The execution's parent: the traceparent in its input, else a root derived from its ARN. */
  #executionParent(input: unknown): SpanContext {
    let given: string | SpanContext | undefined;
    try {
      given = this.#options.parentFromInput(input);
    } catch {
      // A user extractor that throws on an odd input leaves the execution in its derived trace.
      given = undefined;
    }
    const parsed = typeof given === "string" ? parseTraceparent(given) : given;
    if (parsed && trace.isSpanContextValid(parsed)) return { ...parsed, isRemote: true };
    return {
      traceId: executionTraceId(this.#arn),
      spanId: executionRootSpanId(this.#arn),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    };
  }

  onInvocationStart(info: InvocationInfo): void {
    let replayed = 0;
    for (const op of Object.values(info.operations)) if (op.status !== undefined && TERMINAL_STATUSES.has(op.status)) replayed++;
    this.#span.setAttribute(attr.ATTR_CAIRN_REPLAYED_OPERATIONS, replayed);
  }

  wrapInvocation(
    _info: InvocationInfo,
    fn: () => Promise<DurableExecutionInvocationOutput>,
  ): Promise<DurableExecutionInvocationOutput> {
    // The handler runs with the invocation span active, so spans the user's code creates nest under it.
    return context.with(this.#context, fn);
  }

  async onInvocationEnd(info: InvocationEndInfo): Promise<void> {
    this.#span.setAttribute(attr.ATTR_CAIRN_INVOCATION_STATUS, info.status);
    if (info.status === "FAILED" || info.status === "RETRYING") {
      const error = info.executionError;
      if (error) this.#span.recordException(error);
      this.#span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? info.status });
    }
    // Attempts cut short (the invocation ended under them) end with it rather than leak.
    for (const span of this.#attempts.values()) span.end();
    this.#attempts.clear();
    this.#span.end();
    if (this.#options.forceFlush) await this.#options.forceFlush();
  }

  /** The context an operation's children are created in: its own (future) span, or the invocation's. */
  #operationContext(operationId: string | undefined): Context {
    if (operationId === undefined || !this.#nested) return this.#context;
    return trace.setSpanContext(this.#context, {
      traceId: this.#span.spanContext().traceId,
      spanId: operationSpanId(this.#arn, operationId),
      traceFlags: this.#span.spanContext().traceFlags,
    });
  }

  wrapChildContextFn(info: ChildContextFnInfo, fn: CustomerFn): CustomerFnResult {
    return context.with(this.#operationContext(info.id), fn);
  }

  onOperationAttemptStart(info: AttemptInfo): void {
    const span = this.#options.tracer().startSpan(
      attemptSpanName(info.attempt),
      {
        kind: SpanKind.INTERNAL,
        startTime: info.startTimestamp ?? new Date(),
        attributes: { ...this.#operationAttributes(info), [attr.ATTR_CAIRN_STEP_ATTEMPT]: info.attempt },
      },
      this.#operationContext(info.id),
    );
    this.#attempts.get(info.id)?.end();
    this.#attempts.set(info.id, span);
  }

  wrapOperationAttemptFn(info: AttemptInfo, fn: CustomerFn): CustomerFnResult {
    const span = this.#attempts.get(info.id);
    // The step body runs with its attempt span active: the user's own spans nest under the attempt.
    return span ? context.with(trace.setSpan(this.#context, span), fn) : fn();
  }

  onOperationAttemptEnd(info: AttemptEndInfo): void {
    const span = this.#attempts.get(info.id);
    if (!span) return;
    this.#attempts.delete(info.id);
    const end = info.endTimestamp ?? new Date();
    span.setAttribute(attr.ATTR_CAIRN_STEP_ATTEMPT_OUTCOME, info.outcome);
    if (info.retryDelaySeconds !== undefined) span.setAttribute(attr.ATTR_CAIRN_STEP_RETRY_DELAY, info.retryDelaySeconds);
    if (info.outcome === "FAILED") fail(span, info.error, end);
    span.end(end);
  }

  onOperationEnd(info: OperationEndInfo): void {
    const end = info.endTimestamp ?? new Date();
    const attributes = this.#operationAttributes(info);
    if (info.status !== undefined) attributes[attr.ATTR_CAIRN_OPERATION_STATUS] = info.status;
    if (info.type === "STEP" && info.attempt !== undefined) attributes[attr.ATTR_CAIRN_STEP_ATTEMPT] = info.attempt;
    const span = startSpanWithId(this.#options.tracer(), operationSpanId(this.#arn, info.id), (tracer) =>
      tracer.startSpan(
        operationSpanName(info),
        {
          kind: info.type === "CHAINED_INVOKE" ? SpanKind.CLIENT : SpanKind.INTERNAL,
          // The recorded start: a wait or callback began in an earlier invocation, maybe another process.
          startTime: info.startTimestamp ?? end,
          attributes,
        },
        this.#operationContext(info.parentId),
      ),
    );
    if (info.status !== undefined && ERROR_STATUSES.has(info.status)) fail(span, info.error ?? new Error(info.status), end);
    span.end(end);
  }

  #operationAttributes(info: OperationInfo): Attributes {
    const attributes: Attributes = {
      [attr.ATTR_CAIRN_EXECUTION_ARN]: this.#arn,
      [attr.ATTR_CAIRN_OPERATION_ID]: info.id,
      [attr.ATTR_CAIRN_OPERATION_TYPE]: info.type,
    };
    if (info.subType !== undefined) attributes[attr.ATTR_CAIRN_OPERATION_SUBTYPE] = info.subType;
    if (info.name !== undefined) attributes[attr.ATTR_CAIRN_OPERATION_NAME] = info.name;
    if (info.parentId !== undefined) attributes[attr.ATTR_CAIRN_OPERATION_PARENT_ID] = info.parentId;
    return attributes;
  }
}

/** ERROR status with the error's message, and the error as an exception event at `time`. */
function fail(span: Span, error: Error | undefined, time: Date): void {
  if (error) span.recordException(error, time);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? "failed" });
}
