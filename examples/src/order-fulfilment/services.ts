// The outside world of the order workflow. Real deployments call a database, a payment provider,
// a warehouse and a carrier; these in-memory versions are deterministic so the example can be run
// and tested anywhere. Every call is a side effect that must not be repeated once it succeeded.

export interface OrderLine {
  sku: string;
  quantity: number;
}

export interface Order {
  orderId: string;
  customerEmail: string;
  lines: OrderLine[];
}

export interface PricedLine extends OrderLine {
  unitPriceCents: number;
  totalCents: number;
}

export interface OrderServices {
  loadOrder(orderId: string): Promise<Order>;
  /** Fails transiently on the first attempt for SKUs the catalogue is still warming up. */
  priceLine(line: OrderLine, attempt: number): Promise<PricedLine>;
  chargeCard(orderId: string, amountCents: number): Promise<{ paymentId: string }>;
  reserveStock(orderId: string, lines: OrderLine[]): Promise<{ reservationId: string }>;
  createShippingLabel(orderId: string): Promise<{ trackingNumber: string }>;
  sendConfirmation(email: string, summary: string): Promise<{ messageId: string }>;
}

const CATALOGUE: Record<string, number> = {
  "SKU-KETTLE": 3_499,
  "SKU-MUG": 899,
  "SKU-BEANS": 1_450,
  "SKU-GRINDER": 8_900,
};

export class CatalogueWarmingUp extends Error {
  constructor(sku: string) {
    super(`price of ${sku} not available yet, try again`);
    this.name = "CatalogueWarmingUp";
  }
}

export class UnknownSku extends Error {
  constructor(sku: string) {
    super(`no such product: ${sku}`);
    this.name = "UnknownSku";
  }
}

/** Deterministic in-memory services: same order id, same answers. */
export function inMemoryServices(): OrderServices {
  return {
    async loadOrder(orderId) {
      return {
        orderId,
        customerEmail: `customer+${orderId}@example.com`,
        lines: [
          { sku: "SKU-KETTLE", quantity: 1 },
          { sku: "SKU-MUG", quantity: 4 },
          { sku: "SKU-BEANS", quantity: 2 },
          { sku: "SKU-GRINDER", quantity: 1 },
        ],
      };
    },
    async priceLine(line, attempt) {
      const price = CATALOGUE[line.sku];
      if (price === undefined) throw new UnknownSku(line.sku);
      if (line.sku === "SKU-GRINDER" && attempt === 1) throw new CatalogueWarmingUp(line.sku);
      return { ...line, unitPriceCents: price, totalCents: price * line.quantity };
    },
    async chargeCard(orderId, amountCents) {
      return { paymentId: `pay_${orderId}_${amountCents}` };
    },
    async reserveStock(orderId, lines) {
      return { reservationId: `res_${orderId}_${lines.length}` };
    },
    async createShippingLabel(orderId) {
      return { trackingNumber: `TRK-${orderId.toUpperCase()}` };
    },
    async sendConfirmation(email, summary) {
      return { messageId: `msg_${email.length}_${summary.length}` };
    },
  };
}
