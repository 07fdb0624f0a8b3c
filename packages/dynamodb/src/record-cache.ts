// The records this process has used, with the seq they were read or written at. A checkpoint
// decided on a cached record costs one transaction and no read: the commit is conditioned on the
// seq, so a stale entry costs a failed condition and a reload, never a wrong write.
import type { ExecutionRecord } from "@cairn/sdk/service";

export interface CacheEntry {
  record: ExecutionRecord;
  /** encodeJson({result, error}) stored in S#RESULT, to write it only when it changes. */
  resultJson: string | undefined;
  /** The due time the head holds (epoch ms), to leave it alone when it need not move. */
  dueAt: number | undefined;
  /** The lease owner the head named when it was last read (commits do not track it). */
  leaseOwner?: string | undefined;
}

/** Least recently used entries are evicted beyond `size`. */
export class RecordCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly size: number) {}

  /** The entry, marked as just used. */
  get(id: string): CacheEntry | undefined {
    const entry = this.entries.get(id);
    if (entry) this.remember(id, entry);
    return entry;
  }

  /** The entry without marking it used. */
  peek(id: string): CacheEntry | undefined {
    return this.entries.get(id);
  }

  remember(id: string, entry: CacheEntry): CacheEntry {
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}
