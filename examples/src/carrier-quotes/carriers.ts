import type { Carrier } from "./workflow.js";

/** Three carriers: one is down, one answers at once, one needs a minute. */
export function demoCarriers(): Carrier[] {
  return [
    {
      name: "parcelfast",
      async quote() {
        throw new Error("parcelfast: service unavailable");
      },
    },
    {
      name: "shipwell",
      async quote(request) {
        return { carrier: "shipwell", priceCents: 450 + Math.ceil(request.weightGrams / 100) * 12 };
      },
    },
    {
      name: "slowpost",
      answersAfterSeconds: 60,
      async quote(request) {
        return { carrier: "slowpost", priceCents: 300 + Math.ceil(request.weightGrams / 100) * 10 };
      },
    },
  ];
}
