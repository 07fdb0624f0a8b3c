// createClassSerdes and createClassSerdesWithDates: a class instance, Dates nested in it, read back
// with its methods after a replay.
import { createClassSerdes, createClassSerdesWithDates, withDurableExecution, type Serdes } from "@aws/durable-execution-sdk-js";

class Basket {
  owner = "";
  prices: number[] = [];
  total(): number {
    return this.prices.reduce((sum, price) => sum + price, 0);
  }
}

class Shipment {
  id = "";
  createdAt = new Date(0);
  tracking: { pickedUpAt: Date | null; carrier: string } = { pickedUpAt: null, carrier: "" };
  hoursInTransit(): number {
    const picked = this.tracking.pickedUpAt;
    return picked === null ? 0 : (picked.getTime() - this.createdAt.getTime()) / 3_600_000;
  }
}

const basketSerdes: Serdes<Basket> = createClassSerdes(Basket);

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const basket = await ctx.step("basket", async () => Object.assign(new Basket(), { owner: "ada", prices: [3, 4, 5] }), {
    serdes: basketSerdes,
  });
  const shipment = await ctx.step(
    "shipment",
    async () =>
      Object.assign(new Shipment(), {
        id: "s-1",
        createdAt: new Date("2026-03-01T08:00:00Z"),
        tracking: { pickedUpAt: new Date("2026-03-01T14:30:00Z"), carrier: "post" },
      }),
    { serdes: createClassSerdesWithDates(Shipment, ["createdAt", "tracking.pickedUpAt"]) },
  );
  // Suspend and replay: both values are read back through their serdes.
  await ctx.wait({ seconds: 1 });
  return {
    basket: { isBasket: basket instanceof Basket, total: basket.total(), owner: basket.owner },
    shipment: {
      isShipment: shipment instanceof Shipment,
      createdAtIsDate: shipment.createdAt instanceof Date,
      pickedUpAtIsDate: shipment.tracking.pickedUpAt instanceof Date,
      hours: shipment.hoursInTransit(),
      carrier: shipment.tracking.carrier,
    },
  };
});
