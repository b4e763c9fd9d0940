import { z } from 'zod';
import type { Principal } from '../../core/auth/principal.ts';
import { DomainError, invalidInput } from '../../core/errors.ts';
import { rosterSchema, type Roster } from '../../core/planning/index.ts';
import { parseRosterCsv, parseRosterIcs, type ImportProblem } from '../../core/planning/roster-import.ts';
import { findRosters, upsertRosters } from '../../store/repos/roster-repo.ts';
import { recordAudit } from '../shared/audit.ts';
import type { AppContext } from '../context.ts';
import { MANAGERS, requireStaff } from '../people/require-role.ts';
import { formatPath, parseInput } from '../shared/parse-input.ts';
import { fillAgentCapacity } from '../routing/assign.ts';
import { rosterOf } from './on-duty.ts';

const MAX_FILE = 2_000_000;

export const rosterImportInput = z.discriminatedUnion('format', [
  z.strictObject({ format: z.literal('csv'), text: z.string().min(1, 'is empty').max(MAX_FILE) }),
  z.strictObject({
    format: z.literal('ical'),
    text: z.string().min(1, 'is empty').max(MAX_FILE),
    /** iCalendar is one agent's feed. */
    user_id: z.string().uuid('must be a UUID'),
    zone: rosterSchema.shape.zone.optional(),
    country: rosterSchema.shape.country.optional(),
  }),
]);

/** All problems, each named by its line; nothing is written. */
function refuse(problems: readonly ImportProblem[]): never {
  const errors = problems.map((p) => ({ path: `line ${p.line}`, message: p.message }));
  throw new DomainError('invalid_input', `${problems.length} problem${problems.length === 1 ? '' : 's'} in the file; nothing was imported`, errors[0]?.path ?? 'text', errors);
}

function validated(problems: ImportProblem[], line: number, raw: unknown): Roster | null {
  const r = rosterSchema.safeParse(raw);
  if (r.success) return r.data;
  for (const issue of r.error.issues) problems.push({ line, message: `${formatPath(issue.path)}: ${issue.message}` });
  return null;
}

/**
 * Imports rosters from a CSV of many agents (by e-mail) or one agent's iCalendar feed. All or nothing: a single
 * problem refuses the whole file with every problem's line; otherwise each agent named gets exactly the roster
 * the file describes, in one transaction.
 */
export async function importRosters(ctx: AppContext, actor: Principal, raw: unknown): Promise<{ imported: { user_id: string; email: string }[] }> {
  const staff = requireStaff(actor, MANAGERS);
  const input = parseInput(rosterImportInput, raw);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const users = await tx.query<{ id: string; email: string }>("SELECT id, lower(email) AS email FROM users WHERE role <> 'customer'");
    const current = new Map((await findRosters(tx, null)).map((r) => [r.user_id, rosterOf(r)]));
    const problems: ImportProblem[] = [];
    const writes: { userId: string; email: string; spec: Roster }[] = [];
    if (input.format === 'csv') {
      const byEmail = new Map(users.map((u) => [u.email, u.id]));
      const parsed = parseRosterCsv(input.text, (email) => current.get(byEmail.get(email) ?? '')?.zone ?? null);
      problems.push(...parsed.problems);
      for (const r of parsed.rosters) {
        const userId = byEmail.get(r.agent);
        if (!userId) { problems.push({ line: r.line, message: `no staff user has the e-mail ${r.agent}` }); continue; }
        const roster = validated(problems, r.line, r.roster);
        if (roster) writes.push({ userId, email: r.agent, spec: roster });
      }
    } else {
      const user = users.find((u) => u.id === input.user_id);
      if (!user) throw invalidInput('user_id', 'no such staff user');
      const zone = input.zone ?? current.get(user.id)?.zone;
      if (!zone) throw invalidInput('zone', 'give the agent\'s zone (they have no roster yet)');
      const parsed = parseRosterIcs(input.text, zone, input.country ?? current.get(user.id)?.country ?? null);
      problems.push(...parsed.problems);
      const roster = parsed.roster ? validated(problems, 1, parsed.roster) : null;
      if (roster) writes.push({ userId: user.id, email: user.email, spec: roster });
    }
    if (problems.length) refuse(problems.sort((a, b) => a.line - b.line));
    await upsertRosters(tx, writes, staff.id, now);
    for (const w of writes) {
      await recordAudit(tx, actor, { action: current.has(w.userId) ? 'update' : 'create', target: 'roster', targetId: w.userId, before: current.get(w.userId) ?? null, after: w.spec }, now);
    }
    // Without waiting: this transaction would hold several agents' locks at once; the routing sweep catches up.
    for (const w of writes) await fillAgentCapacity(tx, w.userId, now);
    return { imported: writes.map((w) => ({ user_id: w.userId, email: w.email })) };
  });
}
