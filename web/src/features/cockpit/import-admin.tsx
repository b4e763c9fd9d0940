import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner, SelectField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { cockpitApi, type ImportRun } from './cockpit-api.ts';

// Admin → Import (docs/import.md): an event log or a ticket file with its mapping; a dry run lists the problems with
// their file line, then the import runs in the background and this screen polls its progress. Importing the same
// file again writes nothing: its tickets show as unchanged.

const POLL_MS = 500;

export function ImportAdmin() {
  const { t } = useTranslation('importer');
  const [kind, setKind] = useState<'events' | 'tickets'>('events');
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState('');
  const [runId, setRunId] = useState<string | null>(null);
  const [run, setRun] = useState<ImportRun | null>(null);
  const submit = useSubmit();

  useEffect(() => {
    if (!runId) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const r = await cockpitApi.importRun(runId);
        if (stopped) return;
        setRun(r);
        if (!r.done) timer = setTimeout(() => { void poll(); }, POLL_MS);
      } catch {
        if (!stopped) timer = setTimeout(() => { void poll(); }, POLL_MS * 4);
      }
    };
    void poll();
    return () => { stopped = true; if (timer) clearTimeout(timer); };
  }, [runId]);

  const start = (dryRun: boolean) => (e?: FormEvent) => {
    e?.preventDefault();
    void submit.run(async () => {
      if (!file) throw new Error(t('noFile'));
      setRun(null);
      const { id } = await cockpitApi.startImport({ kind, file_name: file.name, file: await file.text(), mapping, dry_run: dryRun });
      setRunId(id);
    });
  };
  const running = run !== null && !run.done;

  return (
    <section className="panel" aria-labelledby="import-title" data-testid="import-admin">
      <h2 id="import-title">{t('title')}</h2>
      <p>{t('intro')}</p>
      <form onSubmit={start(true)}>
        <SelectField label={t('kind')} value={kind} onChange={(v) => setKind(v === 'tickets' ? 'tickets' : 'events')}>
          <option value="events">{t('kindEvents')}</option>
          <option value="tickets">{t('kindTickets')}</option>
        </SelectField>
        <div className="field">
          <label htmlFor="import-file">{t('file')}</label>
          <input id="import-file" type="file" accept=".csv,.json,text/csv,application/json" data-testid="import-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <div className="field">
          <label htmlFor="import-mapping">{t('mapping')}</label>
          <textarea id="import-mapping" rows={10} value={mapping} onChange={(e) => setMapping(e.target.value)} spellCheck={false} data-testid="import-mapping" />
        </div>
        {submit.error ? <ErrorBanner error={submit.error} /> : null}
        <div className="toolbar">
          <button type="submit" className="button" disabled={submit.busy || running} data-testid="import-dry-run">{t('dryRun')}</button>
          <button type="button" className="button primary" disabled={submit.busy || running} onClick={() => start(false)()} data-testid="import-run">{t('run')}</button>
        </div>
      </form>
      {run ? <ImportProgress run={run} /> : null}
    </section>
  );
}

function ImportProgress({ run }: { run: ImportRun }) {
  const { t } = useTranslation('importer');
  const total = run.rows_total ?? 0;
  const errors = run.errors ?? [];
  return (
    <div data-testid="import-progress">
      <h3>{run.dry_run ? t('dryRunResult') : t('result')}</h3>
      <p role="status" aria-live="polite" data-testid="import-state">
        {run.done ? t(run.status === 'failed' ? 'failed' : 'finished') : t('running')}
      </p>
      <progress max={total || 1} value={run.done ? total || 1 : run.rows_read} aria-label={t('rowsRead', { read: run.rows_read, total })} />
      <ul className="plain-list">
        <li data-testid="import-rows">{t('rowsRead', { read: run.rows_read, total })}</li>
        <li data-testid="import-written">{t(run.dry_run ? 'wouldWrite' : 'written', { count: run.tickets_written })}</li>
        <li data-testid="import-unchanged">{t('unchanged', { count: run.tickets_existing })}</li>
        <li data-testid="import-rejected">{t('rejected', { count: run.tickets_rejected, rows: run.rows_rejected })}</li>
      </ul>
      {errors.length ? (
        <>
          <h4>{t('errors', { count: run.errors_total })}</h4>
          <ol data-testid="import-errors">
            {errors.map((e, i) => <li key={i}>{e.text}</li>)}
          </ol>
        </>
      ) : null}
    </div>
  );
}
