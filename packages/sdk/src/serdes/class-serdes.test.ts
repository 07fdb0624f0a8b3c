import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { runLocal } from "../test-support/run-local.js";
import { createClassSerdes, createClassSerdesWithDates } from "./class-serdes.js";

class Order {
  id = "";
  lines: number[] = [];
  total(): number {
    return this.lines.reduce((sum, line) => sum + line, 0);
  }
}

class Article {
  title = "";
  createdAt = new Date(0);
  metadata: { publishedAt: Date | null; tags: string[] } = { publishedAt: null, tags: [] };
  age(now: Date): number {
    return now.getTime() - this.createdAt.getTime();
  }
}

const context = { entityId: "1", durableExecutionArn: "arn" };

describe("createClassSerdes", () => {
  it("hands back an instance of the class, with its methods, on the first run and on replay", async () => {
    const seen: unknown[] = [];
    const run = await runLocal(async (_event, ctx) => {
      const order = await ctx.step(
        "load",
        async () => Object.assign(new Order(), { id: "o-1", lines: [3, 4] }),
        { serdes: createClassSerdes(Order) },
      );
      seen.push(order);
      await ctx.wait({ seconds: 1 });
      return { total: order.total(), isOrder: order instanceof Order };
    });
    expect(run.result).toEqual({ total: 7, isOrder: true });
    expect(seen).toHaveLength(2);
    for (const order of seen) expect(order).toBeInstanceOf(Order);
    // Stored as the plain JSON of its fields.
    expect(run.operations.find((op) => op.Name === "load")?.StepDetails?.Result).toBe('{"id":"o-1","lines":[3,4]}');
  });

  it("stores nothing for undefined and reads nothing back as undefined", async () => {
    const serdes = createClassSerdes(Order);
    expect(await serdes.serialize(undefined, context)).toBeUndefined();
    expect(await serdes.deserialize(undefined, context)).toBeUndefined();
  });

  it("names the bad argument", () => {
    expect(() => createClassSerdes(undefined as never)).toThrow(ValidationError);
    expect(() => createClassSerdes({} as never)).toThrow(/createClassSerdes: cls must be a class/);
  });
});

describe("createClassSerdesWithDates", () => {
  const serdes = createClassSerdesWithDates(Article, ["createdAt", "metadata.publishedAt", "missing.deep.path"]);

  it("turns the named fields, nested ones too, back into Dates", async () => {
    const article = Object.assign(new Article(), {
      title: "t",
      createdAt: new Date("2026-01-02T03:04:05.006Z"),
      metadata: { publishedAt: new Date("2026-02-01T00:00:00Z"), tags: ["a"] },
    });
    const back = await serdes.deserialize(await serdes.serialize(article, context), context);
    expect(back).toBeInstanceOf(Article);
    expect(back?.createdAt).toEqual(new Date("2026-01-02T03:04:05.006Z"));
    expect(back?.metadata.publishedAt).toEqual(new Date("2026-02-01T00:00:00Z"));
    expect(back?.metadata.tags).toEqual(["a"]);
    expect(back?.age(new Date("2026-01-02T03:04:06.006Z"))).toBe(1000);
  });

  it("leaves a path that leads nowhere, or to null, as it is", async () => {
    const back = await serdes.deserialize('{"title":"x","createdAt":"2026-01-01T00:00:00.000Z","metadata":null}', context);
    expect(back?.metadata).toBeNull();
    expect(back?.createdAt).toEqual(new Date("2026-01-01T00:00:00.000Z"));
    // A missing parent must not convert a field of the same name higher up.
    const flat = createClassSerdesWithDates(Article, ["metadata.title"]);
    expect((await flat.deserialize('{"title":"2026-01-01"}', context))?.title).toBe("2026-01-01");
  });

  it("names a bad date path", () => {
    expect(() => createClassSerdesWithDates(Article, "createdAt" as never)).toThrow(/dateProps must be an array/);
    expect(() => createClassSerdesWithDates(Article, ["createdAt", "metadata..publishedAt"])).toThrow(ValidationError);
    expect(() => createClassSerdesWithDates(Article, [""])).toThrow(/dateProps/);
  });
});
