import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/app/channels/group-commit.ts';

// The widget's group commit (src/app/channels/group-commit.ts) on its own: a lone item goes at once, items that
// arrive while a batch is in flight share the next one, a failed batch is re-run item by item so each caller
// gets its own answer or error, and batches run in the lock order.

type Item = { key: string; value: number; fail?: boolean };

function harness(slots = 1) {
  const batches: string[][] = [];
  const singles: string[] = [];
  const releases: (() => void)[] = [];
  let hold = false;
  const gate = () => (hold ? new Promise<void>((r) => { releases.push(r); }) : Promise.resolve());
  const gc = new GroupCommit<Item, number>({
    batch: async (items) => {
      batches.push(items.map((i) => `${i.key}${i.value}`));
      await gate();
      if (items.some((i) => i.fail)) throw new Error('batch rolled back');
      return items.map((i) => i.value * 10);
    },
    single: async (item) => {
      singles.push(`${item.key}${item.value}`);
      await gate();
      if (item.fail) throw new Error(`item ${item.value} refused`);
      return item.value * 10;
    },
    order: (i) => i.key,
    slots,
  });
  return { gc, batches, singles, holdNext: () => { hold = true; }, open: () => { hold = false; for (const r of releases.splice(0)) r(); } };
}

describe('group commit', () => {
  it('runs a lone item at once, alone', async () => {
    const h = harness();
    expect(await h.gc.submit({ key: 'a', value: 1 })).toBe(10);
    expect(h.singles).toEqual(['a1']);
    expect(h.batches).toEqual([]);
  });

  it('batches what arrives while one is in flight, sorted by key with arrival order kept within a key', async () => {
    const h = harness();
    h.holdNext();
    const first = h.gc.submit({ key: 'z', value: 0 });
    const rest = [h.gc.submit({ key: 'b', value: 1 }), h.gc.submit({ key: 'a', value: 2 }), h.gc.submit({ key: 'b', value: 3 })];
    expect(h.gc.waiting()).toBe(3);
    h.open();
    expect(await first).toBe(0);
    expect(await Promise.all(rest)).toEqual([10, 20, 30]);
    expect(h.singles).toEqual(['z0']);
    expect(h.batches).toEqual([['a2', 'b1', 'b3']]);
  });

  it('re-runs a failed batch item by item in arrival order: only the bad item fails', async () => {
    const h = harness();
    h.holdNext();
    const first = h.gc.submit({ key: 'z', value: 0 });
    const good = h.gc.submit({ key: 'b', value: 1 });
    const bad = h.gc.submit({ key: 'a', value: 2, fail: true });
    const good2 = h.gc.submit({ key: 'c', value: 3 });
    h.open();
    await first;
    expect(await good).toBe(10);
    await expect(bad).rejects.toThrow('item 2 refused');
    expect(await good2).toBe(30);
    expect(h.batches).toEqual([['a2', 'b1', 'c3']]);
    expect(h.singles).toEqual(['z0', 'b1', 'a2', 'c3']);
  });

  it('keeps as many batches in flight as it has slots', async () => {
    const h = harness(2);
    h.holdNext();
    const a = h.gc.submit({ key: 'a', value: 1 });
    const b = h.gc.submit({ key: 'b', value: 2 });
    // Both went at once (two slots), nothing waits.
    expect(h.gc.waiting()).toBe(0);
    expect(h.singles).toEqual(['a1', 'b2']);
    h.open();
    expect(await Promise.all([a, b])).toEqual([10, 20]);
  });
});
