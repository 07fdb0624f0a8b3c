// The cloud runner's reads of one execution through @aws-sdk/client-lambda, which is loaded only
// here, on first use: local users of @cairn/testing never need it installed.
import { setTimeout as sleep } from "node:timers/promises";
import type { Event as LambdaEvent, GetDurableExecutionCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import type { ExecutionStatus, ExecutionSummary } from "@cairn/sdk/service";
import type { HistoryEvent } from "@cairn/sdk";

/** The `@aws-sdk/client-lambda` module. */
export type ClientLambda = typeof import("@aws-sdk/client-lambda");

let loading: Promise<ClientLambda> | undefined;

/** Loads `@aws-sdk/client-lambda`, or fails saying how to install it. */
export function loadClientLambda(who: string): Promise<ClientLambda> {
  loading ??= import("@aws-sdk/client-lambda").catch((error: unknown) => {
    loading = undefined;
    throw new Error(`${who} needs @aws-sdk/client-lambda: install it (npm install --save-dev @aws-sdk/client-lambda)`, {
      cause: error,
    });
  });
  return loading;
}

/** Attempts per read before the run fails, as the AWS testing library's poller makes them. */
const READ_ATTEMPTS = 3;
const PAGE_SIZE = 1000;

/**
 * Reads an execution's history again and again as it grows. Full pages are kept; only the last
 * page (the one that can still grow) is read again, from the marker that led to it.
 */
export class HistoryReader {
  readonly #done: HistoryEvent[] = [];
  #lastPageMarker: string | undefined;

  constructor(
    private readonly client: LambdaClient,
    private readonly lambda: ClientLambda,
    private readonly executionArn: string,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The whole history as it is now. */
  async read(): Promise<HistoryEvent[]> {
    let marker = this.#lastPageMarker;
    for (;;) {
      const page = await this.#retrying(() =>
        this.client.send(
          new this.lambda.GetDurableExecutionHistoryCommand({
            DurableExecutionArn: this.executionArn,
            IncludeExecutionData: true,
            MaxItems: PAGE_SIZE,
            ...(marker !== undefined ? { Marker: marker } : {}),
          }),
          this.#options(),
        ),
      );
      const events = (page.Events ?? []).map(toHistoryEvent);
      if (!page.NextMarker) return [...this.#done, ...events];
      this.#done.push(...events);
      marker = this.#lastPageMarker = page.NextMarker;
    }
  }

  /** The execution's status, result and error (whole, where history payloads may be cut short). */
  execution(): Promise<GetDurableExecutionCommandOutput> {
    return this.#retrying(() =>
      this.client.send(new this.lambda.GetDurableExecutionCommand({ DurableExecutionArn: this.executionArn }), this.#options()),
    );
  }

  #options(): { abortSignal?: AbortSignal } {
    return this.signal ? { abortSignal: this.signal } : {};
  }

  async #retrying<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= READ_ATTEMPTS || this.signal?.aborted) throw error;
        await sleep(1000 + (attempt ** 2 - 1) * 150, undefined, this.signal ? { signal: this.signal } : undefined);
      }
    }
  }
}

/** An event as the client returns it, checked for the members every event has. */
function toHistoryEvent(event: LambdaEvent): HistoryEvent {
  if (event.EventType === undefined || event.EventId === undefined || !(event.EventTimestamp instanceof Date)) {
    throw new Error(`GetDurableExecutionHistory returned an event without EventType, EventId or EventTimestamp: ${JSON.stringify(event)}`);
  }
  // The service's event types are a superset of Cairn's (e.g. ExecutionPaused); the reader of
  // the history skips what it does not know.
  return event as HistoryEvent;
}

const STATUSES: ReadonlySet<string> = new Set<ExecutionStatus>(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"]);

/** GetDurableExecution's answer as the summary a TestResult reads. */
export function summaryOf(execution: GetDurableExecutionCommandOutput, events: readonly HistoryEvent[]): ExecutionSummary {
  const status = execution.Status;
  if (status === undefined || !STATUSES.has(status)) {
    throw new Error(`GetDurableExecution reported status ${String(status)}, which a finished execution does not have`);
  }
  return {
    executionArn: execution.DurableExecutionArn ?? "",
    executionName: execution.DurableExecutionName ?? "",
    functionName: execution.FunctionArn,
    status: status as ExecutionStatus,
    startTimestamp: execution.StartTimestamp ?? new Date(0),
    endTimestamp: execution.EndTimestamp,
    input: execution.InputPayload,
    result: execution.Result,
    error: execution.Error,
    invocationCount: events.filter((event) => event.EventType === "InvocationCompleted").length,
  };
}
