import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { ErrorBanner, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { ConfirmDialog } from '../../app/primitives.tsx';
import { useFocusFirstInvalid } from './forms.ts';
import { errorAt, slaApi, type CalendarSpec, type StoredCalendar } from './sla-api.ts';
import { SlaSimulator } from './sla-simulator.tsx';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
type Interval = { start: string; end: string };
export type HolidayRow =
  | { kind: 'date'; date: string; yearly: boolean; name: string }
  | { kind: 'country'; country: string; region: string; name: string }
  | { kind: 'ics'; ics: string };
export type CalendarDraft = { name: string; timezone: string; hours: Record<Weekday, Interval[]>; holidays: HolidayRow[] };

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Every IANA zone the browser knows (the server checks with the same Intl data), plus the value being edited. */
export function timeZones(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? [];
  const list = all.includes('UTC') ? all : ['UTC', ...all];
  return current && !list.includes(current) ? [current, ...list] : list;
}

export function draftOf(cal: StoredCalendar | null): CalendarDraft {
  const spec = (cal?.spec ?? {}) as Partial<CalendarSpec>;
  const hours = {} as Record<Weekday, Interval[]>;
  for (const d of WEEKDAYS) hours[d] = (spec.hours?.[d] ?? []).map(([start, end]) => ({ start, end }));
  if (!cal) for (const d of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) hours[d] = [{ start: '09:00', end: '17:00' }];
  const holidays: HolidayRow[] = (spec.holidays ?? []).map((h) => {
    if (typeof h === 'string') return { kind: 'date', date: h, yearly: false, name: '' };
    if ('ics' in h) return { kind: 'ics', ics: h.ics };
    if ('country' in h) return { kind: 'country', country: h.country, region: h.region ?? '', name: h.name ?? '' };
    return { kind: 'date', date: h.date, yearly: h.yearly ?? false, name: h.name ?? '' };
  });
  return {
    name: cal?.name ?? '',
    timezone: spec.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
    hours,
    holidays,
  };
}

/** The draft as the API's calendar spec; one holiday per row, in order, so an error's index names the row. */
export function specOf(d: CalendarDraft): CalendarSpec {
  const hours: Record<string, [string, string][]> = {};
  for (const day of WEEKDAYS) if (d.hours[day].length) hours[day] = d.hours[day].map((i) => [i.start.trim(), i.end.trim()]);
  const holidays = d.holidays.map((h) => {
    if (h.kind === 'ics') return { ics: h.ics };
    if (h.kind === 'country') return { country: h.country.trim().toUpperCase(), ...(h.region.trim() ? { region: h.region.trim().toUpperCase() } : {}), ...(h.name.trim() ? { name: h.name.trim() } : {}) };
    return { date: h.date.trim(), ...(h.yearly ? { yearly: true } : {}), ...(h.name.trim() ? { name: h.name.trim() } : {}) };
  });
  return { timezone: d.timezone, hours, holidays };
}

/** Minutes per week the calendar is open (overnight shifts run into the next day). */
export function weeklyMinutes(d: CalendarDraft): number {
  const min = (s: string) => (HHMM.test(s) ? Number(s.slice(0, 2)) * 60 + Number(s.slice(3)) : NaN);
  let total = 0;
  for (const day of WEEKDAYS) for (const i of d.hours[day]) {
    const a = min(i.start);
    const b = min(i.end);
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    total += b > a ? b - a : 1440 - a + b;
  }
  return total;
}

export const isOvernight = (i: Interval) => HHMM.test(i.start) && HHMM.test(i.end) && i.end !== '24:00' && i.end <= i.start;

/** Errors the form shows beside a control; anything else goes to the banner. */
const SHOWN = /^(name|spec\.timezone|spec\.hours(\.(mon|tue|wed|thu|fri|sat|sun)(\[\d+\](\[[01]\])?)?)?|spec\.holidays\[\d+\](\.(date|country|region|ics|name|yearly))?|url|ics)$/;

/** Admin → SLA calendars: the list, and a form to create or edit one with the simulator beside it. */
export function SlaCalendarsAdmin() {
  const { t } = useTranslation('admin');
  const data = useLoad(['admin', 'sla', 'calendars'], () => api.slaCalendars() as Promise<StoredCalendar[]>);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [confirm, setConfirm] = useState<StoredCalendar | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const action = useSubmit();
  const qc = useQueryClient();

  if (!data.data) return data.error ? <ErrorBanner error={data.error} /> : <Loading />;
  const calendars = data.data;
  const current = editing && editing !== 'new' ? calendars.find((c) => c.id === editing) ?? null : null;

  async function remove(c: StoredCalendar) {
    setConfirm(null);
    await action.run(async () => {
      await slaApi.deleteCalendar(c.id);
      setStatus(t('cal.deleted', { name: c.name }));
      if (editing === c.id) setEditing(null);
      await data.reload();
    });
  }

  return (
    <section className="panel" data-testid="sla-calendars">
      <h2>{t('cal.title')}</h2>
      <p className="muted">{t('cal.intro')}</p>
      <ErrorBanner error={action.error} />
      {status ? <p className="banner banner-ok" role="status" data-testid="admin-status">{status}</p> : null}
      <div className="table-wrap">
        <table className="table" data-testid="calendars-table">
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('timeZone')}</th>
              <th scope="col">{t('cal.weekly')}</th>
              <th scope="col">{t('cal.holidays')}</th>
              <th scope="col"><span className="sr-only">{t('actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {calendars.map((c) => {
              const d = draftOf(c);
              return (
                <tr key={c.id} data-testid={`calendar-row-${c.name}`}>
                  <td>{c.name}</td>
                  <td>{d.timezone}</td>
                  <td>{t('cal.hoursPerWeek', { hours: Math.round((weeklyMinutes(d) / 60) * 10) / 10 })}</td>
                  <td>{d.holidays.length}</td>
                  <td className="right">
                    <span className="row-actions">
                      <button type="button" className="button small" aria-expanded={editing === c.id} aria-label={t('cal.editOne', { name: c.name })}
                        onClick={() => setEditing(editing === c.id ? null : c.id)}>{t('edit')}</button>
                      <button type="button" className="button small danger" aria-label={t('cal.deleteOne', { name: c.name })}
                        onClick={() => setConfirm(c)}>{t('delete')}</button>
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {editing === null ? (
        <div className="actions"><button type="button" className="button primary" data-testid="calendar-new" onClick={() => { setStatus(null); setEditing('new'); }}>{t('cal.new')}</button></div>
      ) : (
        <CalendarEditor key={editing} calendar={current} onCancel={() => setEditing(null)}
          onSaved={async (c, created) => { await qc.invalidateQueries({ queryKey: ['admin', 'sla'] }); setStatus(t(created ? 'cal.created' : 'cal.saved', { name: c.name })); setEditing(c.id); }} />
      )}
      <ConfirmDialog open={confirm !== null} title={t('cal.confirmTitle')} confirmLabel={t('delete')}
        onCancel={() => setConfirm(null)} onConfirm={() => { if (confirm) void remove(confirm); }}>
        <p>{t('cal.confirmText', { name: confirm?.name ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}

function CalendarEditor({ calendar, onSaved, onCancel }: { calendar: StoredCalendar | null; onSaved: (c: StoredCalendar, created: boolean) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation('admin');
  const [draft, setDraft] = useState<CalendarDraft>(() => draftOf(calendar));
  const [savedId, setSavedId] = useState<string | null>(calendar?.id ?? null);
  const [icsUrl, setIcsUrl] = useState('');
  const [showSim, setShowSim] = useState(false);
  const save = useSubmit();
  const imp = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(save.error ?? imp.error);
  const zones = useMemo(() => timeZones(draft.timezone), [draft.timezone]);
  const problems = [save.error, imp.error].flatMap((e) => (e instanceof ApiError ? e.errors : []));
  const err = (path: string) => errorAt(problems, path);
  const banner = [save.error, imp.error].find((e) => e !== undefined && !(e instanceof ApiError && e.errors.length > 0 && e.errors.every((x) => SHOWN.test(x.path))));

  const setDay = (day: Weekday, f: (list: Interval[]) => Interval[]) => setDraft((d) => ({ ...d, hours: { ...d.hours, [day]: f(d.hours[day]) } }));
  const setHoliday = (i: number, h: HolidayRow) => setDraft((d) => ({ ...d, holidays: d.holidays.map((x, j) => (j === i ? h : x)) }));
  const addHoliday = (h: HolidayRow) => setDraft((d) => ({ ...d, holidays: [...d.holidays, h] }));
  const dayName = (day: Weekday) => t(`cal.day.${day}`);

  function submit(e: FormEvent) {
    e.preventDefault();
    void save.run(async () => {
      const body = { name: draft.name.trim(), spec: specOf(draft) };
      const row = savedId ? await slaApi.updateCalendar(savedId, body) : await slaApi.createCalendar(body);
      setSavedId(row.id);
      await onSaved(row, !savedId);
    });
  }

  async function importFile(file: File | undefined) {
    if (!file) return;
    const text = await file.text();
    addHoliday({ kind: 'ics', ics: text });
  }

  function importUrl() {
    if (!savedId) return;
    void imp.run(async () => {
      const row = await slaApi.importIcs(savedId, { url: icsUrl.trim() });
      const added = draftOf(row).holidays.at(-1);
      if (added) addHoliday(added);
      setIcsUrl('');
    });
  }

  const title = calendar ? t('cal.editOne', { name: calendar.name }) : t('cal.new');
  return (
    <>
    <form ref={formRef} className="panel" data-testid="calendar-editor" aria-label={title} noValidate onSubmit={submit}>
      <h3>{title}</h3>
      <TextField label={t('name')} error={err('name')} value={draft.name} onChange={(v) => setDraft((d) => ({ ...d, name: v }))} />
      <SelectField label={t('timeZone')} error={err('spec.timezone')} hint={t('cal.zoneHint')} value={draft.timezone} onChange={(v) => setDraft((d) => ({ ...d, timezone: v }))}>
        {zones.map((z) => <option key={z} value={z}>{z}</option>)}
      </SelectField>

      <fieldset className="field" data-testid="weekly-hours">
        <legend>{t('cal.weekly')}</legend>
        <p className="muted small">{t('cal.weeklyHint', { zone: draft.timezone })}</p>
        {err('spec.hours') ? <small className="field-error" role="alert">{err('spec.hours')}</small> : null}
        {WEEKDAYS.map((day) => (
          <fieldset key={day} className="day-hours" data-testid={`day-${day}`}>
            <legend>{dayName(day)}</legend>
            {err(`spec.hours.${day}`) ? <small className="field-error" role="alert">{err(`spec.hours.${day}`)}</small> : null}
            {draft.hours[day].length === 0 ? <p className="muted small">{t('cal.closed')}</p> : null}
            {draft.hours[day].map((iv, i) => {
              const rowErr = err(`spec.hours.${day}[${i}]`);
              return (
                <div key={i} className="inline-form" data-testid={`interval-${day}-${i}`}>
                  <TextField label={t('cal.from', { day: dayName(day), n: i + 1 })} inputMode="numeric" placeholder="09:00" size={6}
                    error={err(`spec.hours.${day}[${i}][0]`) ?? rowErr} value={iv.start} onChange={(v) => setDay(day, (l) => l.map((x, j) => (j === i ? { ...x, start: v } : x)))} />
                  <TextField label={t('cal.to', { day: dayName(day), n: i + 1 })} inputMode="numeric" placeholder="17:00" size={6}
                    error={err(`spec.hours.${day}[${i}][1]`)} value={iv.end} onChange={(v) => setDay(day, (l) => l.map((x, j) => (j === i ? { ...x, end: v } : x)))} />
                  {isOvernight(iv) ? <span className="badge badge-purple" data-testid="overnight">{t('cal.overnight', { end: iv.end })}</span> : null}
                  <button type="button" className="button small" aria-label={t('cal.removeInterval', { day: dayName(day), n: i + 1 })}
                    onClick={() => setDay(day, (l) => l.filter((_, j) => j !== i))}>×</button>
                </div>
              );
            })}
            <button type="button" className="button small" aria-label={t('cal.addIntervalTo', { day: dayName(day) })} data-testid={`add-interval-${day}`}
              onClick={() => setDay(day, (l) => [...l, l.length ? { start: '', end: '' } : { start: '09:00', end: '17:00' }])}>{t('cal.addInterval')}</button>
          </fieldset>
        ))}
        <button type="button" className="button small" onClick={() => setDraft((d) => ({ ...d, hours: { ...d.hours, tue: d.hours.mon, wed: d.hours.mon, thu: d.hours.mon, fri: d.hours.mon } }))}>
          {t('cal.copyMonday')}
        </button>
      </fieldset>

      <fieldset className="field" data-testid="holidays">
        <legend>{t('cal.holidays')}</legend>
        <p className="muted small">{t('cal.holidaysHint')}</p>
        {draft.holidays.map((h, i) => {
          const at = `spec.holidays[${i}]`;
          const remove = (
            <button type="button" className="button small" aria-label={t('cal.removeHoliday', { n: i + 1 })}
              onClick={() => setDraft((d) => ({ ...d, holidays: d.holidays.filter((_, j) => j !== i) }))}>×</button>
          );
          if (h.kind === 'ics') {
            const events = (h.ics.match(/BEGIN:VEVENT/g) ?? []).length;
            return (
              <div key={i} className="inline-form" data-testid={`holiday-${i}`}>
                <span>{t('cal.icsFeed', { n: i + 1, events })}</span>
                {err(`${at}.ics`) ?? err(at) ? <small className="field-error" role="alert">{err(`${at}.ics`) ?? err(at)}</small> : null}
                {remove}
              </div>
            );
          }
          if (h.kind === 'country') {
            return (
              <div key={i} className="inline-form" data-testid={`holiday-${i}`}>
                <TextField label={t('cal.country', { n: i + 1 })} hint={t('cal.countryHint')} size={4} maxLength={2} error={err(`${at}.country`) ?? err(at)} value={h.country}
                  onChange={(v) => setHoliday(i, { ...h, country: v })} />
                <TextField label={t('cal.region', { n: i + 1 })} hint={t('cal.regionHint')} size={6} error={err(`${at}.region`)} value={h.region}
                  onChange={(v) => setHoliday(i, { ...h, region: v })} />
                {remove}
              </div>
            );
          }
          return (
            <div key={i} className="inline-form" data-testid={`holiday-${i}`}>
              <TextField label={t('cal.date', { n: i + 1 })} type="date" error={err(`${at}.date`) ?? err(at)} value={h.date} onChange={(v) => setHoliday(i, { ...h, date: v })} />
              <TextField label={t('cal.holidayName', { n: i + 1 })} error={err(`${at}.name`)} value={h.name} onChange={(v) => setHoliday(i, { ...h, name: v })} />
              <label className="check"><input type="checkbox" checked={h.yearly} onChange={(e) => setHoliday(i, { ...h, yearly: e.target.checked })} />{t('cal.yearly')}</label>
              {remove}
            </div>
          );
        })}
        <div className="actions">
          <button type="button" className="button small" data-testid="add-holiday-date" onClick={() => addHoliday({ kind: 'date', date: '', yearly: false, name: '' })}>{t('cal.addDate')}</button>
          <button type="button" className="button small" data-testid="add-holiday-country" onClick={() => addHoliday({ kind: 'country', country: '', region: '', name: '' })}>{t('cal.addCountry')}</button>
        </div>
        <div className="field">
          <label htmlFor="ics-file">{t('cal.icsFile')}</label>
          <input id="ics-file" type="file" accept=".ics,text/calendar" data-testid="ics-file" onChange={(e) => { void importFile(e.target.files?.[0]); e.target.value = ''; }} />
          <small className="muted">{t('cal.icsFileHint')}</small>
        </div>
        <div className="inline-form">
          <TextField label={t('cal.icsUrl')} type="url" hint={savedId ? t('cal.icsUrlHint') : t('cal.icsUrlSaveFirst')} error={err('url')} value={icsUrl} onChange={setIcsUrl} disabled={!savedId} />
          <button type="button" className="button small" disabled={!savedId || !icsUrl.trim() || imp.busy} onClick={importUrl}>{t('cal.icsImport')}</button>
        </div>
      </fieldset>

      <ErrorBanner error={banner} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('cancel')}</button>
        <button type="button" className="button" aria-expanded={showSim} onClick={() => setShowSim((s) => !s)} data-testid="calendar-try">{t('cal.try')}</button>
        <button type="submit" className="button primary" disabled={save.busy} data-testid="calendar-save">{t('save')}</button>
      </div>
    </form>
    {showSim ? <SlaSimulator draftCalendar={{ name: draft.name || t('cal.unsaved'), spec: specOf(draft) }} /> : null}
    </>
  );
}
