/**
 * Group commit for small writes that arrive together (the widget's visitor messages, BENCHMARKS.md
 * "bench:widget — a person's pace and saturation"). A lone item runs at once in its own transaction, with no
 * timer: there is no delay to wait out. While `slots` batches (default 4) are in flight, items that arrive queue up, and
 * the next free slot takes all of them (up to `maxBatch`) into ONE transaction — the batch grows with the load
 * by itself, so each BEGIN, COMMIT and WAL flush is shared by every message that waited for it.
 *
 * A batch is all or nothing: when its transaction fails (one item's error, a deadlock, a lost connection)
 * nothing of it was written, and every item is run again alone, in arrival order, so each caller gets its
 * own answer or its own error — never another item's. Items of the batch run in the order given by
 * `order` (stable: items with the same key keep their arrival order), so two batches in flight take their
 * row locks in one global order.
 */
export class GroupCommit<I, O> {
  private readonly queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(private readonly options: {
    /** Runs the items inside one transaction, in the given order; answers one result per item. */
    batch: (items: I[]) => Promise<O[]>;
    /** One item in its own transaction (a lone item, and every item of a batch that failed). */
    single: (item: I) => Promise<O>;
    /** The key batches are sorted by (the rows each item locks first). */
    order: (item: I) => string;
    slots?: number;
    maxBatch?: number;
  }) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  /** Items waiting for a slot (tests read it). */
  waiting(): number {
    return this.queue.length;
  }

  private kick(): void {
    // Four of the pool's ten connections: a batch's statements are sequential round trips, so a second, third and
    // fourth batch keep the process and the database busy while one waits; the rest stay free for reads.
    const slots = this.options.slots ?? 4;
    while (this.inFlight < slots && this.queue.length > 0) {
      const taken = this.queue.splice(0, this.options.maxBatch ?? 100);
      this.inFlight += 1;
      void this.flush(taken).finally(() => {
        this.inFlight -= 1;
        this.kick();
      });
    }
  }

  private async flush(taken: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[]): Promise<void> {
    if (taken.length > 1) {
      const key = this.options.order;
      const sorted = taken.map((t, i) => ({ t, i })).sort((a, b) => (key(a.t.item) < key(b.t.item) ? -1 : key(a.t.item) > key(b.t.item) ? 1 : a.i - b.i)).map((x) => x.t);
      try {
        const out = await this.options.batch(sorted.map((t) => t.item));
        sorted.forEach((t, i) => t.resolve(out[i] as O));
        return;
      } catch {
        // Rolled back as a whole: each item alone below, in arrival order.
      }
    }
    for (const t of taken) {
      try {
        t.resolve(await this.options.single(t.item));
      } catch (err) {
        t.reject(err);
      }
    }
  }
}
