// Pure web-side rules checked without a browser (vitest covers src/ and test/ only); run as the
// first step of e2e/run.ts, or alone: `node --import tsx e2e/web-units.ts`.

import { strict as assert } from 'node:assert';
import type { SlaMetric, TicketSla } from '../web/src/lib/api.ts';
import { ApiError, errorMessage, fieldMessage } from '../web/src/lib/api.ts';
import { CHANNEL_LABELS, formatDuration, label } from '../web/src/lib/format.ts';
import { slaState } from '../web/src/features/agent/sla.tsx';
import { describeEvent } from '../web/src/app/timeline.tsx';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function metric(due: string | null, elapsed: number, remaining: number, status = 'active'): SlaMetric {
  return {
    status, due_at: due, breached: false, breached_at: null, elapsed_business_minutes: elapsed,
    remaining_business_minutes: remaining, started_at: null, completed_at: null,
  };
}

function sla(due: string | null, elapsed: number, remaining: number, opts: { breached?: boolean; evaluatedAt?: string; status?: string } = {}): TicketSla {
  return {
    policy_id: 'p', policy_name: 'Standard', next_due_at: due, breached: opts.breached ?? false,
    evaluated_at: opts.evaluatedAt ?? null, metrics: { first_response: metric(due, elapsed, remaining, opts.status) },
  };
}

export function webUnits(): void {
  assert.equal(formatDuration(80 * 60_000), '1h 20m');
  assert.equal(formatDuration(26 * 3600_000), '1d 2h');
  assert.equal(formatDuration(20_000), '<1m');
  assert.equal(label('api', CHANNEL_LABELS), 'API');
  assert.equal(label('email', CHANNEL_LABELS), 'E-mail');

  assert.equal(slaState(null, NOW).tone, 'none');
  // plenty left → green countdown
  assert.deepEqual([slaState(sla('2026-01-01T20:00:00Z', 960, 480), NOW).tone, slaState(sla('2026-01-01T20:00:00Z', 960, 480), NOW).text], ['ok', 'due in 8h']);
  // < 25 % of the target left → amber even with > 30 min to go
  assert.equal(slaState(sla('2026-01-01T13:20:00Z', 1360, 80), NOW).tone, 'warn');
  assert.equal(slaState(sla('2026-01-01T13:20:00Z', 1360, 80), NOW).text, 'due in 1h 20m');
  // < 30 min left → amber
  assert.equal(slaState(sla('2026-01-01T12:20:00Z', 0, 20), NOW).tone, 'warn');
  // due in the past → breached, even before the server flags it
  const overdue = slaState(sla('2026-01-01T11:00:00Z', 60, 0), NOW);
  assert.deepEqual([overdue.tone, overdue.breached, overdue.text], ['breached', true, 'overdue 1h']);
  // flagged breached by the server
  assert.equal(slaState(sla('2026-01-01T20:00:00Z', 60, 480, { breached: true }), NOW).tone, 'breached');
  // a stored (list) state ages: 600 left 8 h ago → 120 of 600 now → amber
  assert.equal(slaState(sla('2026-01-01T20:00:00Z', 0, 600, { evaluatedAt: '2026-01-01T04:00:00Z' }), NOW).tone, 'warn');
  // paused clock
  assert.equal(slaState(sla(null, 10, 20, { status: 'paused' }), NOW).tone, 'paused');

  // timeline events read as people talk: names for ids, labels for keys, free text untouched
  const ev = (kind: string, before: unknown, after: unknown) => ({ id: 1, kind, actor: null, before, after, created_at: '' });
  assert.deepEqual(describeEvent(ev('priority_changed', { priority: 'normal' }, { priority: 'urgent' })), ['Priority: Normal → Urgent']);
  assert.deepEqual(describeEvent(ev('assignee_changed', { assignee_id: null }, { assignee_id: 'u1' }), { u1: 'Alex Agent' }), ['Assignee: none → Alex Agent']);
  assert.deepEqual(
    describeEvent(ev('created', null, { status: 'new', subject: 'Re: my_file', type: 'technical_question', group_id: 'g1', assignee_id: null }), { g1: 'Support' }),
    ['Type: Technical question', 'Group: Support'],
  );
  assert.deepEqual(describeEvent(ev('subject_changed', { subject: 'a-b c' }, { subject: 'Hello World' })), ['Subject: a-b c → Hello World']);

  // error messages name the field the server put in error.path
  assert.equal(new ApiError(400, 'invalid_input', 'is required', 'requester.email').field, 'email');
  assert.equal(new ApiError(400, 'invalid_input', 'bad', 'domains[0]').field, 'domains');
  assert.equal(errorMessage(new ApiError(400, 'invalid_input', 'is required', 'subject')), 'Subject: is required');
  assert.equal(errorMessage(new ApiError(400, 'invalid_input', 'time_zone: unknown zone', 'time_zone')), 'Time zone: unknown zone');
  assert.equal(fieldMessage(new ApiError(400, 'invalid_input', 'email: must be an e-mail address', 'email')), 'Must be an e-mail address');
  assert.equal(fieldMessage(new ApiError(400, 'invalid_input', 'name: is required', 'name')), 'This field is required.');
  assert.equal(errorMessage(new ApiError(403, 'forbidden', 'missing or wrong X-CSRF-Token header')), 'Missing or wrong X-CSRF-Token header');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  webUnits();
  console.log('web units ok');
}
