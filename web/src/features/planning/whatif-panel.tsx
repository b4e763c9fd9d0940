import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { api, call, client } from '../../lib/api.ts';

// What-if (docs/planning.md): replay the last weeks with agents added to (or taken from) every group and/or another
// queue order; per group, what happened beside the replay and the prediction. Its own component so the Planning
// screen can host it; the Reports page shows it until then.

type Outcome = { first_response: { compliance_pct: number | null }; promises: { kept_pct: number | null }; breaches: number; average_wait_minutes: number | null };
type GroupResult = { group_id: string | null; group_name: string | null; observed: Outcome; replay: Outcome; predicted: Outcome };
type WhatIf = { tickets: number; groups: GroupResult[] };

const WEEKS = [2, 4, 8] as const;

export function WhatIfPanel({ now }: { now: number }) {
  const { t } = useTranslation('whatif');
  const [weeks, setWeeks] = useState(4);
  const [add, setAdd] = useState('1');
  const [routing, setRouting] = useState<'earliest_due' | 'fifo'>('earliest_due');
  const [result, setResult] = useState<WhatIf | null>(null);
  const submit = useSubmit();

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run(async () => {
      const to = new Date(Math.floor(now / 3_600_000) * 3_600_000);
      const from = new Date(to.getTime() - weeks * 7 * 86_400_000);
      const groups = await api.groups();
      const delta = Number(add) || 0;
      const agents = Object.fromEntries(groups.map((g) => [g.id, { add: delta }]));
      setResult(await call<WhatIf>(client.POST('/api/v1/planning/whatif', {
        body: { from: from.toISOString(), to: to.toISOString(), changes: { agents_per_group: agents, routing } },
      })));
    });
  };
  const pct = (v: number | null) => (v === null ? '—' : t('percent', { value: v.toFixed(1) }));
  const minutes = (v: number | null) => (v === null ? '—' : t('minutes', { value: v.toFixed(0) }));

  return (
    <section className="card" data-testid="whatif">
      <h2>{t('title')}</h2>
      <p className="muted">{t('intro')}</p>
      <form onSubmit={onSubmit} className="report-period">
        <SelectField label={t('period')} value={String(weeks)} onChange={(v) => setWeeks(Number(v))} data-testid="whatif-weeks">
          {WEEKS.map((w) => <option key={w} value={w}>{t('lastWeeks', { count: w })}</option>)}
        </SelectField>
        <TextField label={t('addAgents')} hint={t('addAgentsHint')} type="number" min={-50} max={50} step={1} value={add} onChange={setAdd} data-testid="whatif-add" />
        <SelectField label={t('routing')} value={routing} onChange={(v) => setRouting(v === 'fifo' ? 'fifo' : 'earliest_due')} data-testid="whatif-routing">
          <option value="earliest_due">{t('earliestDue')}</option>
          <option value="fifo">{t('fifo')}</option>
        </SelectField>
        <button type="submit" disabled={submit.busy} data-testid="whatif-run">{submit.busy ? t('running') : t('run')}</button>
      </form>
      {submit.error ? <ErrorBanner error={submit.error} /> : null}
      {result ? (
        <table className="report-table" data-testid="whatif-result">
          <thead>
            <tr><th>{t('group')}</th><th>{t('compliance')}</th><th>{t('promisesKept')}</th><th>{t('breaches')}</th><th>{t('averageWait')}</th></tr>
          </thead>
          <tbody>
            {result.groups.map((g) => (
              <tr key={g.group_id ?? '-'}>
                <td>{g.group_name ?? t('noGroup')}</td>
                <td>{t('beside', { observed: pct(g.observed.first_response.compliance_pct), replay: pct(g.replay.first_response.compliance_pct), predicted: pct(g.predicted.first_response.compliance_pct) })}</td>
                <td>{t('pair', { observed: pct(g.observed.promises.kept_pct), predicted: pct(g.predicted.promises.kept_pct) })}</td>
                <td>{t('pair', { observed: g.observed.breaches, predicted: g.predicted.breaches })}</td>
                <td>{t('pair', { observed: minutes(g.observed.average_wait_minutes), predicted: minutes(g.predicted.average_wait_minutes) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
