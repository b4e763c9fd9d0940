import type { Db, Queryable } from '../../store/db.ts';

/**
 * A per-process cache of configuration that intake reads for every ticket and admins change rarely (the
 * settings store, the live classifier models). A change is announced with NOTIFY in its writing transaction
 * (`announceConfigChange`), so every process — PGlite in-process, each server process over its LISTEN
 * connection — drops its copy once the change is committed and reads it afresh on next use. Exact across
 * processes like sla-config.ts's version check, without its query per ticket.
 *
 * Values are cached only once the LISTEN runs, so no change can slip in between; after a lost server
 * connection (notifications missed) everything is dropped. If LISTEN cannot be set up, values are read
 * every time rather than cached blind.
 */
export const CONFIG_CHANNEL = 'replyby_config';

type State = { values: Map<string, Promise<unknown>>; listening: boolean; subscribing: Promise<void> | null };
const states = new WeakMap<object, State>();

function stateOf(db: Db): State {
  let state = states.get(db.cacheScope);
  if (!state) {
    state = { values: new Map(), listening: false, subscribing: null };
    states.set(db.cacheScope, state);
  }
  return state;
}

/**
 * Whether the LISTEN runs, starting it if not. Not awaited: callers are inside a transaction, and PGlite (one
 * connection) runs the LISTEN only after that transaction ends — until then values are read, not cached.
 */
function listening(db: Db, state: State): boolean {
  if (!state.listening && !state.subscribing) {
    state.subscribing = db.listen(CONFIG_CHANNEL, () => state.values.clear(), { onReconnect: () => state.values.clear() }).then(
      () => {
        state.listening = true;
      },
      () => {
        state.subscribing = null; // try again on the next read
      },
    );
  }
  return state.listening;
}

/**
 * The value under `key`, loaded with `load` (in the caller's transaction) when this process has no current
 * copy. A failed load is not kept; a caller that shared someone else's failed load loads in its own.
 */
export async function cachedConfig<T>(db: Db, key: string, load: () => Promise<T>): Promise<T> {
  const state = stateOf(db);
  if (!listening(db, state)) return load();
  const shared = state.values.get(key) as Promise<T> | undefined;
  if (shared) {
    try {
      return await shared;
    } catch {
      // another transaction's load failed; ours may not
    }
  }
  const mine = load();
  state.values.set(key, mine);
  mine.catch(() => {
    if (state.values.get(key) === mine) state.values.delete(key);
  });
  return mine;
}

/** Tells every process (this one too, after commit) to drop its cached configuration. Call inside the writing transaction. */
export async function announceConfigChange(tx: Queryable, what: string): Promise<void> {
  await tx.query("SELECT pg_notify($1 || '_' || current_schema(), $2)", [CONFIG_CHANNEL, what]);
}

/** Drops this process's copy at once (after the writer's own commit), not waiting for its NOTIFY to come round. */
export function forgetCachedConfig(db: Db): void {
  states.get(db.cacheScope)?.values.clear();
}
