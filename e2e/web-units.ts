// Pure web-side rules checked without a browser (vitest covers src/ and test/ only); run as the
// first step of e2e/run.ts, or alone: `node --import tsx e2e/web-units.ts`.

import { strict as assert } from 'node:assert';
import type { SlaMetric, TicketSla } from '../web/src/lib/api.ts';
import { ApiError, errorMessage, fieldMessage } from '../web/src/lib/api.ts';
import { formatBusinessMinutes, formatDuration } from '../web/src/lib/format.ts';
import { metricLabel, slaState } from '../web/src/features/agent/sla.tsx';
import { createInstance } from 'i18next';
import { readFileSync } from 'node:fs';
import { describeEvent, eventText } from '../web/src/app/timeline.tsx';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function metric(due: string | null, elapsed: number, remaining: number, opts: { status?: string; breached?: boolean; warning?: boolean; nextWarningAt?: string } = {}): SlaMetric {
  return {
    status: opts.status ?? 'active', due_at: due, breached: opts.breached ?? false, breached_at: null, elapsed_business_minutes: elapsed,
    remaining_business_minutes: remaining, started_at: null, completed_at: null, warning: opts.warning ?? false, next_warning_at: opts.nextWarningAt ?? null,
  };
}

function sla(due: string | null, elapsed: number, remaining: number, opts: { breached?: boolean; status?: string; warning?: boolean; nextWarningAt?: string } = {}): TicketSla {
  return {
    policy_id: 'p', policy_name: 'Standard', next_due_at: due, breached: opts.breached ?? false,
    evaluated_at: null, metrics: { first_response: metric(due, elapsed, remaining, opts) },
  };
}

/** An i18next instance over the real locale files (the app's own loader needs Vite's import.meta.glob). */
function translator(lang: string): (key: string, opts?: Record<string, unknown>) => string {
  const ns = ['common', 'workspace', 'events'];
  const resources = { [lang]: Object.fromEntries(ns.map((n) => [n, JSON.parse(readFileSync(new URL(`../web/src/locales/${lang}/${n}.json`, import.meta.url), 'utf8'))])) };
  const i18n = createInstance();
  void i18n.init({ lng: lang, resources, ns, defaultNS: 'workspace', initAsync: false, interpolation: { escapeValue: false } });
  return (key, opts) => i18n.t(key, opts ?? {});
}

export function webUnits(): void {
  // review item 6: every clock is named for people — stage deadlines and policy-defined metrics never as a raw key
  const en = translator('en');
  assert.equal(metricLabel(en, 'first_response'), 'First response');
  assert.equal(metricLabel(en, 'stage_triaged'), 'Stage deadline: Triaged');
  assert.equal(metricLabel(en, 'stage_waiting_for_parts'), 'Stage deadline: Waiting for parts');
  assert.equal(metricLabel(en, 'vendor_callback'), 'Vendor callback');
  assert.equal(metricLabel(translator('ru'), 'stage_triaged'), 'Срок этапа: Классифицирована');
  // …and a breached clock of a pending ticket stops counting: "breached, paused", not a growing overdue time
  const breachedPaused = slaState(sla('2026-01-01T11:00:00Z', 600, 0, { status: 'paused', breached: true }), NOW);
  assert.deepEqual([breachedPaused.tone, breachedPaused.breached, breachedPaused.leftMs], ['paused', true, null]);

  // review item 7: a closed ticket's refusal names the URL parameter `ref`, which is no form field
  assert.equal(errorMessage(new ApiError(422, 'unprocessable', 'ref: the ticket is closed; open a follow-up request instead', 'ref')),
    'The ticket is closed; open a follow-up request instead');
  assert.equal(errorMessage(new ApiError(400, 'invalid_input', 'email: is required', 'email')), 'Email: is required');
  assert.equal(formatDuration(80 * 60_000), '1h 20m');
  assert.equal(formatDuration(26 * 3600_000), '1d 2h');
  assert.equal(formatDuration(20_000), '<1m');

  assert.equal(slaState(null, NOW).tone, 'none');
  // the cell names its clock and counts down in wall time
  const ok = slaState(sla('2026-01-01T20:00:00Z', 960, 480), NOW);
  assert.deepEqual([ok.tone, ok.metric, ok.leftMs], ['ok', 'first_response', 8 * 3600_000]);
  // review item 6: amber follows the policy's thresholds, not a fixed 25 % / 30 min
  assert.equal(slaState(sla('2026-01-01T12:20:00Z', 0, 20, { nextWarningAt: '2026-01-01T12:10:00Z' }), NOW).tone, 'ok');
  assert.equal(slaState(sla('2026-01-01T12:20:00Z', 0, 20, { nextWarningAt: '2026-01-01T11:50:00Z' }), NOW).tone, 'warn');
  assert.equal(slaState(sla('2026-01-01T20:00:00Z', 960, 480, { warning: true }), NOW).tone, 'warn');
  // due in the past → breached, even before the server flags it
  const overdue = slaState(sla('2026-01-01T11:00:00Z', 60, 0), NOW);
  assert.deepEqual([overdue.tone, overdue.breached, overdue.leftMs], ['breached', true, -3600_000]);
  // flagged breached by the server
  assert.equal(slaState(sla('2026-01-01T20:00:00Z', 60, 480, { breached: true }), NOW).tone, 'breached');
  // a pending ticket's paused clock is named, never a bare "breached"
  const paused = slaState(sla(null, 10, 20, { status: 'paused' }), NOW);
  assert.deepEqual([paused.tone, paused.metric], ['paused', 'first_response']);
  // review item 5: business time in one unit (hours), never "1d" for 8 business hours
  assert.equal(formatBusinessMinutes(480), '8h');
  assert.equal(formatBusinessMinutes(1990), '33h 10m');

  // timeline events read as people talk: names for ids, labels for keys, free text untouched
  const ev = (kind: string, before: unknown, after: unknown) => ({ id: 1, kind, actor: null, before, after, created_at: '' });
  assert.deepEqual(describeEvent(en, ev('priority_changed', { priority: 'normal' }, { priority: 'urgent' })), ['Priority: Normal → Urgent']);
  assert.deepEqual(describeEvent(en, ev('assignee_changed', { assignee_id: null }, { assignee_id: 'u1' }), { u1: 'Alex Agent' }), ['Assignee: none → Alex Agent']);
  assert.deepEqual(
    describeEvent(en, ev('created', null, { status: 'new', subject: 'Re: my_file', type: 'technical_question', group_id: 'g1', assignee_id: null }), { g1: 'Support' }),
    ['Type: Technical question', 'Group: Support'],
  );
  assert.deepEqual(describeEvent(en, ev('subject_changed', { subject: 'a-b c' }, { subject: 'Hello World' })), ['Subject: a-b c → Hello World']);
  // …in the reader's language, list values by their labels (review item 19: "Channel: API", never "Api")
  assert.deepEqual(describeEvent(en, ev('created', null, { channel: 'api', stage: 'received' })), ['Channel: API', 'Stage: Received']);
  const ru = translator('ru');
  assert.deepEqual(describeEvent(ru, ev('priority_changed', { priority: 'normal' }, { priority: 'urgent' })), ['Приоритет: Обычный → Срочный']);
  assert.deepEqual(describeEvent(ru, ev('assignee_changed', { assignee_id: null }, { assignee_id: 'u1' }), { u1: 'Alex Agent' }), ['Исполнитель: нет → Alex Agent']);
  assert.equal(eventText(ru, 'closure_confirmed', []), 'Клиент подтвердил решение');
  assert.equal(eventText(ru, 'created', ['Канал: API']), 'Создана · Канал: API');
  assert.equal(eventText(en, 'some_new_kind', []), 'Some new kind');

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
