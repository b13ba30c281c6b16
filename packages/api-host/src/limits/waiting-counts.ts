/** Reads how many tasks wait in a queue (one Redis round trip). */
export type WaitingCounter = (queue: string) => Promise<number>;

/**
 * Options of {@link WaitingCounts}.
 *
 * @example
 * ```ts
 * const options: WaitingCountsOptions = { maxAgeMs: 250, timeoutMs: 250 };
 * ```
 */
export interface WaitingCountsOptions {
  /** How long a count is reused before it is read again. */
  maxAgeMs?: number;
  /** A read slower than this counts as unknown, so a sick Redis does not hold requests up here. */
  timeoutMs?: number;
  now?: () => number;
}

interface Entry {
  queue: string;
  count: number | undefined;
  readAt: number;
  /** Tasks this host added since it started; lets a refresh keep the ones added while it ran. */
  added: number;
  refreshing?: Promise<void>;
}

/**
 * How many tasks wait in each queue, as this host last read it plus what it has added
 * since. Each queue is read at most once per `maxAgeMs`, by a single read that all
 * concurrent callers share, so checking a cap costs no Redis round trip per request.
 * Counts are estimates: other replicas' additions show up at the next read.
 *
 * @example
 * ```ts
 * const counts = new WaitingCounts((queue) => transport.queue(queue).getJobCountByTypes('waiting'));
 * const waiting = await counts.get('orders');
 * if (waiting !== undefined && waiting >= cap) throw new QueueFullError('orders', waiting, cap);
 * counts.added('orders');
 * ```
 */
export class WaitingCounts {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly counter: WaitingCounter,
    options: WaitingCountsOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  /** The queue's waiting tasks, or `undefined` when Redis could not say (callers then let the queue decide). */
  async get(queue: string): Promise<number | undefined> {
    const entry = this.entry(queue);
    if (this.now() - entry.readAt >= this.maxAgeMs) {
      entry.refreshing ??= this.refresh(entry).finally(() => (entry.refreshing = undefined));
      await entry.refreshing;
    }
    return entry.count;
  }

  /**
   * What {@link get} would answer without reading Redis: the queue's count (`count` undefined when
   * Redis could not say) while it is fresh, `undefined` when it must be read again. Lets a caller
   * check a cap without a promise on the requests between reads.
   */
  peek(queue: string): { readonly count: number | undefined } | undefined {
    const entry = this.entry(queue);
    return this.now() - entry.readAt < this.maxAgeMs ? entry : undefined;
  }

  /** Records tasks this host just stored, so the cap holds between reads. */
  added(queue: string, tasks = 1): void {
    const entry = this.entry(queue);
    entry.added += tasks;
    if (entry.count !== undefined) entry.count += tasks;
  }

  private entry(queue: string): Entry {
    let entry = this.entries.get(queue);
    if (!entry) {
      entry = { queue, count: undefined, readAt: Number.NEGATIVE_INFINITY, added: 0 };
      this.entries.set(queue, entry);
    }
    return entry;
  }

  private async refresh(entry: Entry): Promise<void> {
    const addedBefore = entry.added;
    let timer: NodeJS.Timeout | undefined;
    try {
      const count = await Promise.race([
        this.counter(entry.queue),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), this.timeoutMs);
        }),
      ]);
      // Tasks added while the read ran may or may not be in it: counting them again errs on the safe side.
      entry.count = count + (entry.added - addedBefore);
    } catch {
      entry.count = undefined;
    } finally {
      clearTimeout(timer);
      entry.readAt = this.now();
    }
  }
}
