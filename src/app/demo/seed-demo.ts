import { prng } from '../../core/prng.ts';
import type { StaffPrincipal } from '../../core/auth/principal.ts';
import { findActiveUser, findContact } from '../../store/repos/principals-repo.ts';
import type { AppContext } from '../context.ts';
import { createContact } from '../people/manage-contacts.ts';
import { createGroup } from '../people/manage-groups.ts';
import { createOrganization } from '../people/manage-organizations.ts';
import { createUser } from '../people/manage-users.ts';
import { hashPassword } from '../auth/secrets.ts';
import { createCalendar } from '../sla/manage-calendars.ts';
import { createStartingPolicies } from '../promise/default-commitments.ts';
import { recomputeOpenTickets } from '../sla/recompute-open-tickets.ts';
import { runDueSlaActions } from '../monitor/run-due-sla-actions.ts';
import { addMessage } from '../tickets/add-message.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { updateTicket } from '../tickets/update-ticket.ts';
import { seedLabelledTickets, seedTriageDemo } from './seed-triage.ts';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_LOGINS = [
  { email: 'ada@demo.replyby.dev', role: 'admin' },
  { email: 'sam@demo.replyby.dev', role: 'supervisor' },
  { email: 'alex@demo.replyby.dev', role: 'agent (Support)' },
  { email: 'bea@demo.replyby.dev', role: 'agent (Billing)' },
  { email: 'chen@demo.replyby.dev', role: 'agent (Engineering, Support)' },
  { email: 'anna@acme.example', role: 'customer, Acme manager (portal)' },
] as const;

// A small deterministic PRNG keeps the demo the same on every machine.
export { prng };

const SUBJECTS: [string, string, string][] = [
  ['technical_question', 'Cannot log in after password reset', 'I reset my password but the new one is rejected.'],
  ['technical_question', 'API returns 502 on large exports', 'Exports above 10k rows fail with a 502 since Monday.'],
  ['complaint', 'Invoice charged twice', 'We were charged twice for October. Please refund one.'],
  ['information_request', 'Do you support SAML single sign-on?', 'Our IT team asks whether SAML SSO is available on our plan.'],
  ['suggestion', 'Dark mode for the dashboard', 'It would be great to have a dark theme.'],
  ['quote', 'Quote for 50 extra seats', 'Please send a quote for 50 additional seats, annual billing.'],
  ['custom_work', 'Custom integration with our ERP', 'Could your team build a connector to our SAP system?'],
  ['urgent', 'Production outage: webhooks not delivered', 'No webhooks have arrived for 40 minutes. Orders are stuck.'],
  ['technical_question', 'CSV import ignores the last column', 'The "notes" column is never imported.'],
  ['information_request', 'Where is your data stored?', 'For GDPR we need to know the data-centre location.'],
];

/** Demo data through the real use cases, with the clock moved into the past; skipped when users exist. */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  const [{ n } = { n: 0 }] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  if (n > 0) return false;
  const realNow = ctx.now();
  let clock = realNow;
  const at: AppContext = { ...ctx, now: () => clock };

  const hash = await hashPassword(DEMO_PASSWORD);
  const [first] = await ctx.db.query<{ id: string }>(
    `INSERT INTO users (email, name, role, password_hash, language, time_zone, created_at, updated_at)
     VALUES ('ada@demo.replyby.dev', 'Ada Admin', 'admin', $1, 'en', 'Europe/Berlin', $2, $2) RETURNING id`, [hash, realNow]);
  const ada = first ? await findActiveUser(ctx.db, first.id) : null;
  if (!ada) throw new Error('seed: admin was not created');

  const support = await createGroup(at, ada, { name: 'Support', description: 'First line', is_default: true });
  const billing = await createGroup(at, ada, { name: 'Billing', description: 'Invoices, refunds, quotes' });
  const engineering = await createGroup(at, ada, { name: 'Engineering', description: 'Second line' });
  const mk = (email: string, name: string, role: 'agent' | 'supervisor', groups: string[], tz: string) =>
    createUser(at, ada, { email, name, role, password: DEMO_PASSWORD, group_ids: groups, time_zone: tz });
  const sam = await mk('sam@demo.replyby.dev', 'Sam Supervisor', 'supervisor', [support.id, billing.id, engineering.id], 'Europe/Berlin');
  const alex = await mk('alex@demo.replyby.dev', 'Alex Agent', 'agent', [support.id], 'Europe/Berlin');
  const bea = await mk('bea@demo.replyby.dev', 'Bea Billing', 'agent', [billing.id], 'Europe/Sofia');
  const chen = await mk('chen@demo.replyby.dev', 'Chen Engineer', 'agent', [engineering.id, support.id], 'Asia/Shanghai');

  const acme = await createOrganization(at, ada, { name: 'Acme Corp', tier: 'enterprise', domains: ['acme.example'] });
  const globex = await createOrganization(at, ada, { name: 'Globex', tier: 'standard', domains: ['globex.example'] });
  const contacts = [
    await createContact(at, ada, { email: 'anna@acme.example', name: 'Anna Schmidt', organization_id: acme.id, is_org_manager: true, password: DEMO_PASSWORD, time_zone: 'Europe/Berlin', language: 'de' }),
    await createContact(at, ada, { email: 'oleg@acme.example', name: 'Oleg Ivanov', organization_id: acme.id, time_zone: 'Europe/Moscow', language: 'ru' }),
    await createContact(at, ada, { email: 'ben@globex.example', name: 'Ben Carter', organization_id: globex.id, password: DEMO_PASSWORD, time_zone: 'America/New_York' }),
    await createContact(at, ada, { email: 'li@globex.example', name: 'Li Wei', organization_id: globex.id, time_zone: 'Asia/Shanghai', language: 'zh' }),
    await createContact(at, ada, { email: 'maria@example.org', name: 'Maria Petrova', time_zone: 'Europe/Sofia', language: 'bg' }),
    await createContact(at, ada, { email: 'tom@example.net', name: 'Tom Jones', time_zone: 'Europe/London' }),
  ];

  const berlin = await createCalendar(at, ada, {
    name: 'Berlin office hours',
    spec: { timezone: 'Europe/Berlin', hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] }, holidays: [{ country: 'DE', region: 'BY' }] },
  });
  // The starting commitments (calendar-time first responses: "24 hours" is 24 hours), with the Berlin office's hours for resolution.
  await createStartingPolicies(at, ada, berlin.id);

  const rand = prng(1042);
  // Resolved multilingual history first: the classifier is trained on it before the live tickets arrive.
  await seedLabelledTickets(at, contacts.map((c) => c.id), support.id, 100, prng(7));
  await seedTriageDemo(at, ada, { billing: billing.id, engineering: engineering.id });
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const agents: StaffPrincipal[] = [];
  for (const u of [alex, bea, chen, sam]) {
    const p = await findActiveUser(ctx.db, u.id);
    if (p) agents.push(p);
  }
  const fourteenDays = 14 * 86_400_000;
  const LIVE_FROM = 34;
  // The live queue is light, as a healthy team's is: the last six requests arrived within the last
  // two hours and wait for their first reply; everything older was answered (docs/promise.md: with a light
  // load every new request is promised its published commitment).
  const starts = Array.from({ length: 40 }, () => realNow.getTime() - Math.floor(rand() * fourteenDays)).sort((a, b) => a - b)
    .map((t, i) => (i < LIVE_FROM ? t : realNow.getTime() - (40 - i) * 20 * 60_000));
  for (const [i, start] of starts.entries()) {
    clock = new Date(start);
    const [type, subject, message] = pick(SUBJECTS);
    const contact = pick(contacts);
    const priority = type === 'urgent' ? 'urgent' : pick(['low', 'normal', 'normal', 'high']);
    const group = type === 'complaint' || type === 'quote' ? billing : type === 'custom_work' ? engineering : support;
    const urgency = type === 'urgent' ? 'critical' : pick(['low', 'normal', 'normal', 'normal', 'high']);
    const { ticket } = await createTicket(at, ada, { subject, message, type, priority, urgency, channel: pick(['email', 'web_form', 'api', 'phone']), requester: { email: contact.email, name: contact.name }, group_id: group.id });
    const agent = pick(agents.filter((a) => a.groupIds.includes(group.id)));
    const ref = String(ticket.number);
    const drawn = i < 28 ? rand() : 1;
    const fate = i < LIVE_FROM ? Math.min(drawn, 0.84) : 1; // the newest six stay untouched: the live queue
    const step = (minutes: number) => {
      clock = new Date(Math.min(clock.getTime() + minutes * 60_000, realNow.getTime() - 60_000));
    };
    if (fate < 0.85) {
      step(20 + rand() * 600);
      await updateTicket(at, ada, ref, { assignee_id: agent.id });
      // An agent answers within minutes of taking a ticket (the promise's handling-time median).
      step(5 + rand() * 30);
      await addMessage(at, agent, ref, { body: `Thanks for reaching out, ${contact.name.split(' ')[0]}. We are looking into it.`, kind: 'public' });
      if (fate < 0.6) {
        step(10 + rand() * 120);
        await addMessage(at, agent, ref, { body: 'Checked the logs; see the attached notes.', kind: 'internal' });
        step(60 + rand() * 1200);
        await addMessage(at, agent, ref, { body: 'This is fixed now. Could you confirm on your side?', kind: 'public', status: 'pending' });
        if (fate < 0.45) {
          step(30 + rand() * 900);
          const requester = await findContact(ctx.db, contact.id);
          if (requester) await addMessage(at, requester, ref, { body: 'Confirmed, works for us. Thank you!' });
          step(10 + rand() * 60);
          await updateTicket(at, agent, ref, { status: fate < 0.3 ? 'closed' : 'solved' });
        }
      }
    }
  }
  clock = realNow;
  await recomputeOpenTickets(at);
  await settleDemoBacklog(at);
  await ctx.db.query("UPDATE outbox SET done_at = $1 WHERE done_at IS NULL AND kind LIKE 'mail.%'", [realNow]); // demo customers get no mail
  return true;
}

/**
 * The demo's history is weeks old, so its warnings and breaches are all due at once. They are taken here
 * (the bell shows them) but not e-mailed: the first start used to mail every staff member a 21–22-item
 * digest about tickets nobody had seen yet (review 2026-12-07, item 12). Live changes from now on mail as usual.
 */
async function settleDemoBacklog(ctx: AppContext): Promise<void> {
  await runDueSlaActions(ctx);
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.query('UPDATE notifications SET email_after = NULL WHERE emailed_at IS NULL AND email_after IS NOT NULL');
    await tx.query('UPDATE notification_mail_state SET next_send_at = NULL');
    await tx.query("UPDATE outbox SET done_at = $1 WHERE done_at IS NULL AND kind IN ('notify.email', 'mail.staff')", [now]);
  });
}
