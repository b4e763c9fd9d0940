import type { Queryable } from '../../store/db.ts';

export type ChannelKind = 'telegram' | 'webhook' | 'widget';

/** A channel as intake and delivery read it: with its secrets, never presented. */
export type ChannelRow = {
  id: string; kind: ChannelKind; name: string; active: boolean; group_id: string | null;
  bot_token: string | null; secret_sha256: Uint8Array | null; signing_secret: string | null; outbound_url: string | null;
  /** The widget's settings document (kind `widget`), as stored. */
  widget?: unknown;
};

export async function loadChannel(q: Queryable, id: string): Promise<ChannelRow | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const [row] = await q.query<ChannelRow>('SELECT id, kind, name, active, group_id, bot_token, secret_sha256, signing_secret, outbound_url, widget FROM channels WHERE id = $1', [id]);
  return row ?? null;
}
