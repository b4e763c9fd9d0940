import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ConfirmDialog } from '../../app/primitives.tsx';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { ApiError } from '../../lib/api.ts';
import { displayTimeZone } from '../../lib/format.ts';
import { queryClient, useLoad } from '../../lib/query.ts';
import { EXCEPTION_KINDS, planningApi, WEEKDAYS, type ExceptionKind, type Roster, type RosterView, type Shift, type Weekday } from './planning-api.ts';
import './planning.css';

// The Roster screen (docs/planning.md, issue 19): each staff member's weekly pattern (split and overnight shifts
// in their zone), dated exceptions and on-call periods; create, edit and remove a roster; import CSV or one
// agent's iCalendar through the API, its problems listed by line.

type T = (key: string, opts?: Record<string, unknown>) => string;
const ROSTERS_KEY = ['planning', 'rosters'] as const;

/** "09:00-12:00, 13:00-17:00" → shifts; a piece that is not two times goes as written, so the server names it. */
export function parseShifts(text: string): Shift[] {
  return text.split(/[,;]/).map((p) => p.trim()).filter((p) => p !== '').map((p) => {
    const m = /^(\S+?)\s*[-–]\s*(\S+)$/.exec(p);
    return m ? { start: m[1] ?? '', end: m[2] ?? '' } : { start: p, end: '' };
  });
}
export const formatShifts = (shifts: readonly Shift[] | undefined): string => (shifts ?? []).map((s) => `${s.start}–${s.end}`).join(', ');

const refresh = () => queryClient.invalidateQueries({ queryKey: ['planning'] });

export function RosterPage() {
  const { t } = useTranslation('planning');
  usePageTitle(t('roster.title'));
  const rosters = useLoad(ROSTERS_KEY, () => planningApi.rosters());
  const [editing, setEditing] = useState<RosterView | null>(null);
  const [removing, setRemoving] = useState<RosterView | null>(null);
  const remove = useSubmit();

  return (
    <div data-testid="rosters">
      <h1>{t('roster.title')}</h1>
      <p className="muted">{t('roster.intro')}</p>
      <p><Link to="/planning">{t('roster.back')}</Link></p>
      <ErrorBanner error={rosters.error ?? remove.error} testId="rosters-error" />
      {rosters.data ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="ro-cap"><table className="table" data-testid="rosters-table">
          <caption id="ro-cap">{t('roster.caption')}</caption>
          <thead><tr><th scope="col">{t('roster.agent')}</th><th scope="col">{t('roster.zone')}</th><th scope="col">{t('roster.weekly')}</th><th scope="col">{t('roster.exceptions')}</th><th scope="col">{t('roster.onCall')}</th><th scope="col">{t('roster.actions')}</th></tr></thead>
          <tbody>
            {rosters.data.map((r) => (
              <tr key={r.user_id} data-testid={`roster-${r.email}`}>
                <th scope="row">{r.name}<br /><span className="muted">{r.email}</span></th>
                <td>{r.roster ? r.roster.zone : t('roster.none')}</td>
                <td>{r.roster ? weeklySummary(r.roster, t) : t('roster.noneHint')}</td>
                <td>{r.roster?.exceptions.length ?? 0}</td>
                <td>{r.roster?.on_call.length ?? 0}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => setEditing(r)} data-testid={`roster-edit-${r.email}`} aria-label={t('roster.actionOf', { action: r.roster ? t('roster.edit') : t('roster.create'), name: r.name })}>
                    {r.roster ? t('roster.edit') : t('roster.create')}
                  </button>{' '}
                  {r.roster ? <button type="button" className="secondary" onClick={() => setRemoving(r)} data-testid={`roster-delete-${r.email}`} aria-label={t('roster.actionOf', { action: t('roster.delete'), name: r.name })}>{t('roster.delete')}</button> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table></div>
      ) : rosters.error ? null : <Loading />}
      {editing ? <RosterEditor key={editing.user_id} view={editing} t={t} onDone={() => setEditing(null)} /> : null}
      {removing ? (
        <ConfirmDialog open title={t('roster.deleteTitle', { name: removing.name })} confirmLabel={t('roster.delete')}
          onCancel={() => setRemoving(null)}
          onConfirm={() => { const who = removing; setRemoving(null); void remove.run(async () => { await planningApi.deleteRoster(who.user_id); await refresh(); }); }}>
          <p>{t('roster.deleteText')}</p>
        </ConfirmDialog>
      ) : null}
      <RosterImport users={rosters.data ?? []} t={t} />
    </div>
  );
}

function weeklySummary(roster: Roster, t: T): string {
  const days = WEEKDAYS.filter((d) => (roster.weekly[d] ?? []).length > 0).map((d) => `${t(`days.${d}`)} ${formatShifts(roster.weekly[d])}`);
  return days.length ? days.join('; ') : t('roster.noShifts');
}

type ExceptionRow = { date: string; kind: ExceptionKind; shifts: string; note: string };
type OnCallRow = { start: string; end: string };

function RosterEditor({ view, t, onDone }: { view: RosterView; t: T; onDone: () => void }) {
  const r = view.roster;
  const headingId = useId();
  const [zone, setZone] = useState(r?.zone ?? displayTimeZone());
  const [country, setCountry] = useState(r?.country ?? '');
  const [weekly, setWeekly] = useState<Record<Weekday, string>>(() => Object.fromEntries(WEEKDAYS.map((d) => [d, formatShifts(r?.weekly[d])])) as Record<Weekday, string>);
  const [exceptions, setExceptions] = useState<ExceptionRow[]>(() => (r?.exceptions ?? []).map((e) => ({ date: e.date, kind: e.kind, shifts: formatShifts(e.shifts), note: e.note ?? '' })));
  const [onCall, setOnCall] = useState<OnCallRow[]>(() => r?.on_call.map((o) => ({ ...o })) ?? []);
  const save = useSubmit();

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const roster: Roster = {
      zone: zone.trim(),
      ...(country.trim() ? { country: country.trim() } : {}),
      weekly: Object.fromEntries(WEEKDAYS.flatMap((d) => { const s = parseShifts(weekly[d]); return s.length ? [[d, s]] : []; })),
      exceptions: exceptions.map((x) => ({ date: x.date, kind: x.kind, shifts: parseShifts(x.shifts), ...(x.note.trim() ? { note: x.note.trim() } : {}) })),
      on_call: onCall.map((o) => ({ start: o.start, end: o.end })),
    };
    void save.run(async () => {
      await planningApi.putRoster(view.user_id, roster);
      await refresh();
      onDone();
    });
  };
  const setException = (i: number, patch: Partial<ExceptionRow>) => setExceptions((xs) => xs.map((x, k) => (k === i ? { ...x, ...patch } : x)));
  const setCall = (i: number, patch: Partial<OnCallRow>) => setOnCall((xs) => xs.map((x, k) => (k === i ? { ...x, ...patch } : x)));

  return (
    <section className="panel" aria-labelledby={headingId} data-testid="roster-editor">
      <h2 id={headingId}>{t('roster.editorTitle', { name: view.name })}</h2>
      <form onSubmit={onSubmit}>
        <div className="roster-row">
          <TextField label={t('roster.zone')} hint={t('roster.zoneHint')} value={zone} onChange={setZone} required data-testid="roster-zone" />
          <TextField label={t('roster.country')} hint={t('roster.countryHint')} value={country} onChange={setCountry} data-testid="roster-country" />
        </div>
        <fieldset>
          <legend>{t('roster.weekly')}</legend>
          <p className="muted">{t('roster.weeklyHint')}</p>
          <div className="roster-week">
            {WEEKDAYS.map((d) => (
              <TextField key={d} label={t(`daysLong.${d}`)} value={weekly[d]} onChange={(v) => setWeekly((w) => ({ ...w, [d]: v }))} placeholder="09:00–17:00" data-testid={`roster-weekly-${d}`} />
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('roster.exceptions')}</legend>
          <p className="muted">{t('roster.exceptionsHint')}</p>
          <div className="roster-rows">
            {exceptions.map((x, i) => (
              <div className="roster-row" key={i} data-testid={`roster-exception-${i}`}>
                <TextField label={t('roster.date')} type="date" value={x.date} onChange={(v) => setException(i, { date: v })} required />
                <SelectField label={t('roster.kind')} value={x.kind} onChange={(v) => setException(i, { kind: EXCEPTION_KINDS.find((k) => k === v) ?? 'leave' })}>
                  {EXCEPTION_KINDS.map((k) => <option key={k} value={k}>{t(`kinds.${k}`)}</option>)}
                </SelectField>
                {x.kind === 'swap' || x.kind === 'extra' ? <TextField label={t('roster.shifts')} value={x.shifts} onChange={(v) => setException(i, { shifts: v })} placeholder="14:00–22:00" /> : null}
                <TextField label={t('roster.note')} value={x.note} onChange={(v) => setException(i, { note: v })} />
                <button type="button" className="secondary" onClick={() => setExceptions((xs) => xs.filter((_, k) => k !== i))} aria-label={t('roster.removeExceptionOf', { n: i + 1 })}>{t('roster.remove')}</button>
              </div>
            ))}
          </div>
          <button type="button" className="secondary" onClick={() => setExceptions((xs) => [...xs, { date: '', kind: 'leave', shifts: '', note: '' }])} data-testid="roster-add-exception">{t('roster.addException')}</button>
        </fieldset>
        <fieldset>
          <legend>{t('roster.onCall')}</legend>
          <p className="muted">{t('roster.onCallHint')}</p>
          <div className="roster-rows">
            {onCall.map((o, i) => (
              <div className="roster-row" key={i} data-testid={`roster-oncall-${i}`}>
                <TextField label={t('roster.from')} type="datetime-local" value={o.start} onChange={(v) => setCall(i, { start: v })} required />
                <TextField label={t('roster.until')} type="datetime-local" value={o.end} onChange={(v) => setCall(i, { end: v })} required />
                <button type="button" className="secondary" onClick={() => setOnCall((xs) => xs.filter((_, k) => k !== i))} aria-label={t('roster.removeOnCallOf', { n: i + 1 })}>{t('roster.remove')}</button>
              </div>
            ))}
          </div>
          <button type="button" className="secondary" onClick={() => setOnCall((xs) => [...xs, { start: '', end: '' }])} data-testid="roster-add-oncall">{t('roster.addOnCall')}</button>
        </fieldset>
        <Problems error={save.error} t={t} testId="roster-save-error" />
        <p>
          <button type="submit" disabled={save.busy} data-testid="roster-save">{save.busy ? t('roster.saving') : t('roster.save')}</button>{' '}
          <button type="button" className="secondary" onClick={onDone}>{t('roster.cancel')}</button>
        </p>
      </form>
    </section>
  );
}

/** Every problem the server named (a field's path, or an import's line), or the error's message. */
function Problems({ error, t, testId }: { error: unknown; t: T; testId: string }) {
  if (error === undefined || error === null) return null;
  if (error instanceof ApiError && error.errors.length > 0) {
    return (
      <div className="banner banner-error" role="alert" data-testid={testId}>
        <p>{t('roster.problems', { count: error.errors.length })}</p>
        <ul className="roster-problems">{error.errors.map((p, i) => <li key={i}>{p.path ? `${p.path}: ${p.message}` : p.message}</li>)}</ul>
      </div>
    );
  }
  return <ErrorBanner error={error} testId={testId} />;
}

function RosterImport({ users, t }: { users: readonly RosterView[]; t: T }) {
  const [format, setFormat] = useState<'csv' | 'ical'>('csv');
  const [text, setText] = useState('');
  const [userId, setUserId] = useState('');
  const [zone, setZone] = useState('');
  const [done, setDone] = useState<number | null>(null);
  const textId = useId();
  const fileId = useId();
  const submit = useSubmit();
  const onFile = async (file: File | undefined) => { if (file) setText(await file.text()); };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    void submit.run(async () => {
      const who = userId || users[0]?.user_id || '';
      const res = format === 'csv'
        ? await planningApi.importRosters({ format: 'csv', text })
        : await planningApi.importRosters({ format: 'ical', text, user_id: who, ...(zone.trim() ? { zone: zone.trim() } : {}) });
      setDone(res.imported.length);
      await refresh();
    });
  };
  return (
    <section className="panel roster-import" aria-labelledby="ro-import-h" data-testid="roster-import">
      <h2 id="ro-import-h">{t('import.title')}</h2>
      <p className="muted">{t('import.intro')}</p>
      <form onSubmit={onSubmit}>
        <div className="roster-row">
          <SelectField label={t('import.format')} value={format} onChange={(v) => setFormat(v === 'ical' ? 'ical' : 'csv')} data-testid="roster-import-format">
            <option value="csv">{t('import.csv')}</option>
            <option value="ical">{t('import.ical')}</option>
          </SelectField>
          {format === 'ical' ? <>
            <SelectField label={t('roster.agent')} value={userId || users[0]?.user_id || ''} onChange={setUserId} data-testid="roster-import-user">
              {users.map((u) => <option key={u.user_id} value={u.user_id}>{u.name}</option>)}
            </SelectField>
            <TextField label={t('roster.zone')} hint={t('import.zoneHint')} value={zone} onChange={setZone} />
          </> : null}
          <div className="field">
            <label htmlFor={fileId}>{t('import.file')}</label>
            <input id={fileId} type="file" accept={format === 'csv' ? '.csv,text/csv' : '.ics,text/calendar'} onChange={(e) => void onFile(e.currentTarget.files?.[0])} />
          </div>
        </div>
        <label htmlFor={textId}>{t('import.text')}</label>
        <textarea id={textId} value={text} onChange={(e) => setText(e.target.value)} required data-testid="roster-import-text" placeholder={format === 'csv' ? 'agent,kind,day,start,end,zone,country,note' : 'BEGIN:VCALENDAR'} />
        <Problems error={submit.error} t={t} testId="roster-import-error" />
        {done !== null ? <p role="status" data-testid="roster-import-done">{t('import.done', { count: done })}</p> : null}
        <p><button type="submit" disabled={submit.busy || text.trim() === ''} data-testid="roster-import-run">{submit.busy ? t('import.running') : t('import.run')}</button></p>
      </form>
    </section>
  );
}
