/** A message's payload: a change to one account's balance. */
export interface LedgerEntry {
  account: string;
  amountCents: number;
}

/** The downstream system the consumer writes to, injected so tests can count every call. */
export interface Ledger {
  apply(entry: LedgerEntry, messageId: string): Promise<{ balanceCents: number }>;
}

export class RejectedEntry extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RejectedEntry";
  }
}

/** An in-memory ledger that refuses entries for frozen accounts and counts applications per message. */
export function inMemoryLedger(frozen: readonly string[] = []) {
  const balances = new Map<string, number>();
  const applied = new Map<string, number>();
  const ledger: Ledger = {
    async apply(entry, messageId) {
      if (frozen.includes(entry.account)) throw new RejectedEntry(`account ${entry.account} is frozen`);
      applied.set(messageId, (applied.get(messageId) ?? 0) + 1);
      const balanceCents = (balances.get(entry.account) ?? 0) + entry.amountCents;
      balances.set(entry.account, balanceCents);
      return { balanceCents };
    },
  };
  return { ledger, balances, applied };
}
