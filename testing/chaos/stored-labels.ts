import type { StoredLabeler } from "./side-effect-ledger.js";

/**
 * Labels for the results the new operations store, matching the labels the scenarios' side
 * effects call the ledger with:
 * - a named step's SUCCEED: its name; inside a map item `name:<item index>` (from the item
 *   context's id), or `name:<item name>` when the item has a name other than its positional default; a scheduled retry: `<that>~retry`;
 * - the unnamed submitter step of a waitForCallback: `submit:<operation name>`;
 * - a waitForCondition check (RETRY or SUCCEED): `<prefix>@<n>`, n read from the stored state by `checkNumber`.
 */
const POSITIONAL_ITEM_NAME = /^map-(item|batch)-\d+$/;

export function storedLabels(options: { check?: { prefix: string; checkNumber: (state: unknown) => number } } = {}): StoredLabeler {
  return (update, parent) => {
    if (update.Type !== "STEP") return undefined;
    if (update.SubType === "WaitForCondition") {
      if (!options.check || (update.Action !== "RETRY" && update.Action !== "SUCCEED")) return undefined;
      return `${options.check.prefix}@${options.check.checkNumber(JSON.parse(update.Payload ?? "null"))}`;
    }
    if (update.Action !== "SUCCEED" && update.Action !== "RETRY") return undefined;
    const retry = update.Action === "RETRY" ? "~retry" : "";
    if (parent?.subType === "WaitForCallback") return `submit:${parent.name}${retry}`;
    if (parent?.subType === "MapIteration") {
      // Items and chunks without a name of their own get a positional one (map-item-<i>).
      const named = parent.name !== undefined && !POSITIONAL_ITEM_NAME.test(parent.name);
      const item = named ? parent.name : String(Number(update.ParentId?.split("-").pop()) - 1);
      return `${update.Name}:${item}${retry}`;
    }
    return update.Name === undefined ? undefined : `${update.Name}${retry}`;
  };
}
