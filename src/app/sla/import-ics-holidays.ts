import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { CalendarError, compileCalendar, type CalendarSpec } from '../../core/calendar/index.ts';
import { DomainError, invalidInput, notFound } from '../../core/errors.ts';
import { findCalendar, type CalendarRow } from '../../store/repos/sla-repo.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { recordAudit } from '../shared/audit.ts';
import { fetchPublicUrl } from '../shared/fetch-public-url.ts';
import { enqueue } from '../shared/outbox.ts';
import { parseInput } from '../shared/parse-input.ts';

export const importIcsInput = z
  .object({ url: z.string().max(2000).optional(), ics: z.string().max(2_000_000).optional() })
  .strict()
  .refine((v) => (v.url === undefined) !== (v.ics === undefined), { message: 'give exactly one of url or ics', path: ['url'] });

/**
 * Adds an iCalendar holiday feed (from a URL, or a file's text) to a calendar. The feed is stored
 * as text, so the calendar stays a pure value and recurring events are expanded by the core.
 */
export async function importIcsHolidays(ctx: AppContext, actor: Principal, calendarId: string, raw: unknown): Promise<CalendarRow> {
  requireStaff(actor, MANAGERS);
  const input = parseInput(importIcsInput, raw);
  const text = input.url !== undefined
    ? await fetchPublicUrl(input.url, 'url', { allowPrivate: ctx.settings.allowPrivateUrls ?? false, maxBytes: 2_000_000, timeoutMs: 10_000 })
    : (input.ics ?? '');
  // A pasted file's NUL is refused at the HTTP boundary; a fetched one is the feed's fault.
  if (text.includes('\u0000')) throw new DomainError('unprocessable', 'the feed contains a NUL character, which no calendar has', 'url');
  return ctx.db.transaction(async (tx) => {
    const existing = await findCalendar(tx, calendarId, true);
    if (!existing) throw notFound('calendar');
    const spec: CalendarSpec = { ...existing.spec, holidays: [...(existing.spec.holidays ?? []), { ics: text }] };
    try {
      compileCalendar(spec);
    } catch (err) {
      if (err instanceof CalendarError) throw invalidInput(input.url !== undefined ? 'url' : 'ics', err.message.replace(/^[^:]*: /, ''));
      throw err;
    }
    const now = ctx.now();
    const [row] = await tx.query<CalendarRow>('UPDATE calendars SET spec = $2, updated_at = $3 WHERE id = $1 RETURNING *', [calendarId, JSON.stringify(spec), now]);
    if (!row) throw notFound('calendar');
    await enqueue(tx, 'sla.recompute_open', { reason: `calendar ${calendarId} holidays imported` }, now);
    // The feed's text can be long: the row says where it came from and how many feeds the calendar has.
    await recordAudit(tx, actor, { action: 'update', target: 'calendar', targetId: calendarId,
      before: { holiday_feeds: (existing.spec.holidays ?? []).length },
      after: { holiday_feeds: (spec.holidays ?? []).length, holiday_feed_added: input.url ?? 'pasted iCalendar file' } }, now);
    return row;
  });
}
