import { firstSuccessful, retryPresets, type DurableContext } from "@cairn/sdk";

export interface QuoteRequest {
  parcelId: string;
  weightGrams: number;
}

export interface Quote {
  carrier: string;
  priceCents: number;
}

export interface Carrier {
  name: string;
  /** Some carriers only answer after a delay; the workflow waits durably rather than polling. */
  answersAfterSeconds?: number;
  quote(request: QuoteRequest): Promise<Quote>;
}

export type QuoteOutcome =
  | { status: "QUOTED"; parcelId: string; quote: Quote; askedCarriers: number; abandonedCarriers: string[] }
  | { status: "NO_QUOTE"; parcelId: string; failures: string[] };

/**
 * Asks every carrier at once and takes the first quote that comes back. Carriers still working
 * when one answered are told to stop (their context's signal aborts) and write nothing more.
 */
export function createQuoteWorkflow(carriers: Carrier[]) {
  return async (request: QuoteRequest, ctx: DurableContext): Promise<QuoteOutcome> => {
    if (!request || typeof request.parcelId !== "string" || !(request.weightGrams > 0)) {
      throw new TypeError('carrier-quotes expects an event like {"parcelId": "p-1", "weightGrams": 1200}');
    }
    const result = await ctx.parallel<Quote>(
      "ask-carriers",
      carriers.map((carrier) => ({
        name: carrier.name,
        func: async (c: DurableContext) => {
          if (carrier.answersAfterSeconds) await c.wait(`${carrier.name}-response-time`, { seconds: carrier.answersAfterSeconds });
          return c.step(`quote-${carrier.name}`, async ({ signal }) => {
            signal.throwIfAborted();
            return carrier.quote(request);
          }, { retryStrategy: retryPresets.noRetry });
        },
      })),
      { completionConfig: firstSuccessful() },
    );
    const winner = result.succeeded()[0];
    if (!winner) {
      return { status: "NO_QUOTE", parcelId: request.parcelId, failures: result.getErrors().map((e) => e.message) };
    }
    return {
      status: "QUOTED",
      parcelId: request.parcelId,
      quote: winner.result,
      askedCarriers: result.totalCount,
      abandonedCarriers: result.started().map((item) => carriers[item.index]?.name ?? `#${item.index}`),
    };
  };
}
