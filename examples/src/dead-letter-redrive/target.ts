// A stand-in for the service the dead-lettered messages were meant for: it accepts each message
// once per idempotency key, and refuses bodies it cannot read (the poison messages).

/** A message the target refuses as it is: sending it again unchanged fails again. */
export class PoisonMessageError extends Error {
  override name = "PoisonMessageError";
}

/** The target's view of an order event: what a body must hold. */
export interface OrderEvent {
  orderId: string;
  status: string;
}

/** Records deliveries by idempotency key, as a service with an `Idempotency-Key` header would. */
export class DeliveryTarget {
  /** The accepted messages' bodies, by idempotency key: each key at most once. */
  readonly delivered = new Map<string, OrderEvent>();
  /** Every call, accepted, repeated or refused (a re-sent message counts again). */
  calls = 0;
  /** Calls whose key was already delivered: answered with the first delivery, not applied again. */
  repeats = 0;

  /**
   * Delivers `body` under `idempotencyKey`; a key seen before is acknowledged without applying it
   * again. Throws {@link PoisonMessageError} for a body that is not an order event.
   */
  async send(idempotencyKey: string, body: string): Promise<{ repeated: boolean }> {
    this.calls++;
    if (this.delivered.has(idempotencyKey)) {
      this.repeats++;
      return { repeated: true };
    }
    this.delivered.set(idempotencyKey, orderEventOf(idempotencyKey, body));
    return { repeated: false };
  }

  /** Forgets every delivery (between tests). */
  reset(): void {
    this.delivered.clear();
    this.calls = 0;
    this.repeats = 0;
  }
}

function orderEventOf(key: string, body: string): OrderEvent {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new PoisonMessageError(`message ${key}: body is not JSON: ${body.slice(0, 60)}`);
  }
  const event = value as Partial<OrderEvent> | null;
  if (typeof event?.orderId !== "string" || typeof event.status !== "string") {
    throw new PoisonMessageError(`message ${key}: body has no orderId and status`);
  }
  return { orderId: event.orderId, status: event.status };
}

/** The target the example delivers to (a deployed function would hold a client here). */
export const orderService = new DeliveryTarget();

/**
 * The fix for the poison messages: bodies an old producer wrote as `orderId=…;status=…` instead of
 * JSON. Other bodies are returned as they are.
 */
export function upgradeLegacyBody(body: string): string {
  if (!/^\s*\w+=/.test(body)) return body;
  const fields = Object.fromEntries(body.split(";").map((pair) => pair.split("=").map((part) => part.trim()) as [string, string]));
  return JSON.stringify(fields);
}
