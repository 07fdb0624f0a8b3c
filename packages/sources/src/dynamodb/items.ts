import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall, type unmarshallOptions } from "@aws-sdk/util-dynamodb";

/** How a page's items are handed out: plain objects (default), or DynamoDB's AttributeValue maps with `raw`. */
export interface ItemShape {
  /** Keep items as AttributeValue maps (`{ pk: { S: "a" } }`) instead of unmarshalling them. */
  raw?: boolean;
  /** Options of `unmarshall` from `@aws-sdk/util-dynamodb` (e.g. `wrapNumbers` for numbers beyond 2^53). */
  unmarshallOptions?: unmarshallOptions;
}

/** Shapes one page's items. */
export function shapeItems(items: Record<string, AttributeValue>[] | undefined, shape: ItemShape): unknown[] {
  if (items === undefined) return [];
  return shape.raw ? items : items.map((item) => unmarshall(item, shape.unmarshallOptions));
}
