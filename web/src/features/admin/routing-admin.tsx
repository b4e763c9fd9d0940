import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, client, type Group, type SlaCalendar } from '../../lib/api.ts';
import type { paths } from '../../lib/api-schema.d.ts';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';

export const ASSIGNMENT_MODES = ['manual', 'round_robin', 'least_loaded', 'skills'] as const;
export const CHANNELS = ['email', 'web_form', 'widget', 'api', 'portal', 'phone', 'telegram', 'messenger'] as const;
type Mode = (typeof ASSIGNMENT_MODES)[number];
type GroupRouting = { id: string; name: string; assignment_mode: Mode; skills: string[]; queued: number };
type AgentRouting = {
  user_id: string; name: string; email: string; skills: string[]; capacity: number; channel_capacity: Record<string, number>;
  availability: 'online' | 'away' | 'offline'; calendar_id: string | null; open_tickets: number;
};
type GroupPatch = NonNullable<paths['/api/v1/groups/{id}/routing']['patch']['requestBody']>['content']['application/json'];
type AgentPatch = NonNullable<paths['/api/v1/routing/agents/{id}']['patch']['requestBody']>['content']['application/json'];

const id = (v: string) => ({ params: { path: { id: v } } });
const routingApi = {
  group: (groupId: string) => call<GroupRouting>(client.GET('/api/v1/groups/{id}/routing', id(groupId))),
  updateGroup: (groupId: string, body: GroupPatch) => call<GroupRouting>(client.PATCH('/api/v1/groups/{id}/routing', { ...id(groupId), body })),
  agents: async () => (await call<{ data: AgentRouting[] }>(client.GET('/api/v1/routing/agents'))).data,
  updateAgent: (userId: string, body: AgentPatch) => call<AgentRouting>(client.PATCH('/api/v1/routing/agents/{id}', { ...id(userId), body })),
};

/** "lang:ru, type:complaint" → ["lang:ru", "type:complaint"]. */
export const skillList = (text: string): string[] => text.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);

/** Admin → Routing: how each group assigns and on which skills, and each agent's skills, capacity per channel and working calendar. */
export function RoutingAdmin() {
  const { t } = useTranslation('admin');
  const data = useLoad(['admin', 'routing'], async () => {
    const [groups, agents, calendars] = await Promise.all([api.groups(), routingApi.agents(), api.slaCalendars()]);
    const routing = await Promise.all(groups.map((g: Group) => routingApi.group(g.id)));
    return { routing, agents, calendars };
  });
  const [editGroup, setEditGroup] = useState<string | null>(null);
  const [editAgent, setEditAgent] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const { routing, agents, calendars } = data.data;
  const calName = new Map(calendars.map((c) => [c.id, c.name]));
  const group = routing.find((g) => g.id === editGroup);
  const agent = agents.find((a) => a.user_id === editAgent);
  return (
    <section className="panel" data-testid="routing-admin">
      <h2>{t('routing.title')}</h2>
      <p className="muted">{t('routing.intro')}</p>
      {status ? <p className="banner banner-ok" role="status" data-testid="admin-status">{status}</p> : null}
      <h3>{t('routing.groups')}</h3>
      <div className="table-wrap">
        <table className="table" data-testid="routing-groups-table">
          <thead><tr><th scope="col">{t('name')}</th><th scope="col">{t('routing.mode')}</th><th scope="col">{t('routing.skills')}</th><th scope="col">{t('routing.queued')}</th><th scope="col"><span className="sr-only">{t('actions')}</span></th></tr></thead>
          <tbody>
            {routing.map((g) => (
              <tr key={g.id} data-testid={`routing-group-${g.name}`}>
                <td>{g.name}</td>
                <td>{t(`routing.modes.${g.assignment_mode}`)}</td>
                <td>{g.skills.join(', ') || <span className="muted">—</span>}</td>
                <td>{g.queued}</td>
                <td className="right">
                  <button type="button" className="button small" aria-expanded={editGroup === g.id} aria-label={t('routing.editGroup', { name: g.name })}
                    onClick={() => setEditGroup(editGroup === g.id ? null : g.id)}>{t('edit')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {group ? <GroupRoutingForm key={group.id} group={group} onDone={async (saved) => { setEditGroup(null); if (saved) { await data.reload(); setStatus(t('routing.saved', { name: group.name })); } }} /> : null}

      <h3>{t('routing.agents')}</h3>
      <div className="table-wrap">
        <table className="table" data-testid="routing-agents-table">
          <thead>
            <tr>
              <th scope="col">{t('name')}</th><th scope="col">{t('routing.availability')}</th><th scope="col">{t('routing.skills')}</th>
              <th scope="col">{t('routing.capacity')}</th><th scope="col">{t('routing.open')}</th><th scope="col">{t('routing.calendar')}</th>
              <th scope="col"><span className="sr-only">{t('actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.user_id} data-testid={`routing-agent-${a.email}`}>
                <td>{a.name}</td>
                <td><Badge tone={a.availability === 'online' ? 'green' : a.availability === 'away' ? 'amber' : 'muted'}>{t(`routing.avail.${a.availability}`)}</Badge></td>
                <td>{a.skills.join(', ') || <span className="muted">—</span>}</td>
                <td>
                  {a.capacity}
                  {Object.entries(a.channel_capacity).map(([ch, n]) => <span key={ch} className="muted small"> · {t(`routing.channel.${ch}`, { defaultValue: ch })} {n}</span>)}
                </td>
                <td>{a.open_tickets}</td>
                <td>{a.calendar_id ? calName.get(a.calendar_id) ?? '—' : t('routing.noCalendar')}</td>
                <td className="right">
                  <button type="button" className="button small" aria-expanded={editAgent === a.user_id} aria-label={t('routing.editAgent', { name: a.name })}
                    onClick={() => setEditAgent(editAgent === a.user_id ? null : a.user_id)}>{t('edit')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {agent ? <AgentRoutingForm key={agent.user_id} agent={agent} calendars={calendars} onDone={async (saved) => { setEditAgent(null); if (saved) { await data.reload(); setStatus(t('routing.saved', { name: agent.name })); } }} /> : null}
    </section>
  );
}

function GroupRoutingForm({ group, onDone }: { group: GroupRouting; onDone: (saved: boolean) => Promise<void> }) {
  const { t } = useTranslation('admin');
  const [mode, setMode] = useState<Mode>(group.assignment_mode);
  const [skills, setSkills] = useState(group.skills.join(', '));
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await routingApi.updateGroup(group.id, { assignment_mode: mode, skills: skillList(skills) });
      await onDone(true);
    });
  }
  const title = t('routing.editGroup', { name: group.name });
  return (
    <form ref={formRef} className="panel" data-testid="routing-group-form" aria-label={title} noValidate onSubmit={submit}>
      <h3>{title}</h3>
      <SelectField label={t('routing.mode')} hint={t(`routing.modeHint.${mode}`)} error={fe.assignment_mode} value={mode} onChange={(v) => setMode(ASSIGNMENT_MODES.find((m) => m === v) ?? 'manual')}>
        {ASSIGNMENT_MODES.map((m) => <option key={m} value={m}>{t(`routing.modes.${m}`)}</option>)}
      </SelectField>
      <TextField label={t('routing.skills')} hint={t('routing.skillsHint')} error={fe.skills} value={skills} onChange={setSkills} />
      <ErrorBanner error={bannerError(error, ['assignment_mode', 'skills'])} />
      <div className="actions">
        <button type="button" className="button" onClick={() => void onDone(false)}>{t('cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="save">{t('save')}</button>
      </div>
    </form>
  );
}

function AgentRoutingForm({ agent, calendars, onDone }: { agent: AgentRouting; calendars: SlaCalendar[]; onDone: (saved: boolean) => Promise<void> }) {
  const { t } = useTranslation('admin');
  const [skills, setSkills] = useState(agent.skills.join(', '));
  const [capacity, setCapacity] = useState(String(agent.capacity));
  const [perChannel, setPerChannel] = useState<Record<string, string>>(() => Object.fromEntries(CHANNELS.map((c) => [c, agent.channel_capacity[c] === undefined ? '' : String(agent.channel_capacity[c])])));
  const [calendarId, setCalendarId] = useState(agent.calendar_id ?? '');
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    const channel_capacity: Record<string, number> = {};
    for (const c of CHANNELS) if ((perChannel[c] ?? '').trim() !== '') channel_capacity[c] = Number(perChannel[c]);
    void run(async () => {
      await routingApi.updateAgent(agent.user_id, { skills: skillList(skills), capacity: Number(capacity), channel_capacity, calendar_id: calendarId || null });
      await onDone(true);
    });
  }
  const title = t('routing.editAgent', { name: agent.name });
  return (
    <form ref={formRef} className="panel" data-testid="routing-agent-form" aria-label={title} noValidate onSubmit={submit}>
      <h3>{title}</h3>
      <TextField label={t('routing.skills')} hint={t('routing.skillsHint')} error={fe.skills} value={skills} onChange={setSkills} />
      <TextField label={t('routing.capacity')} hint={t('routing.capacityHint')} inputMode="numeric" size={5} error={fe.capacity} value={capacity} onChange={setCapacity} />
      <fieldset className="field">
        <legend>{t('routing.perChannel')}</legend>
        <p className="muted small">{t('routing.perChannelHint')}</p>
        <div className="inline-form">
          {CHANNELS.map((c) => (
            <TextField key={c} label={t('routing.channelCapacity', { channel: t(`routing.channel.${c}`) })} inputMode="numeric" size={5}
              error={fe[c]} value={perChannel[c] ?? ''} onChange={(v) => setPerChannel((p) => ({ ...p, [c]: v }))} />
          ))}
        </div>
      </fieldset>
      <SelectField label={t('routing.calendar')} hint={t('routing.calendarHint')} error={fe.calendar_id} value={calendarId} onChange={setCalendarId}>
        <option value="">{t('routing.noCalendar')}</option>
        {calendars.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </SelectField>
      <ErrorBanner error={bannerError(error, ['skills', 'capacity', 'calendar_id', ...CHANNELS])} />
      <div className="actions">
        <button type="button" className="button" onClick={() => void onDone(false)}>{t('cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="save">{t('save')}</button>
      </div>
    </form>
  );
}
