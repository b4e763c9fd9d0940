import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { ConfirmDialog } from '../../app/primitives.tsx';

/** One column of the list; the first `rowHeader` column names the row for screen readers. */
export type ListColumn<T> = { header: string; cell: (row: T) => ReactNode; rowHeader?: boolean; className?: string };

/** What an editor is handed: `saved(message)` reloads the list, closes the editor and announces the message. */
export type EditorProps<T> = { row: T | null; saved: (message: string) => Promise<void>; cancel: () => void };

/** A row action besides Edit and Delete (retire, retry, send a link): it runs with the list's busy state and error banner. */
export type RowAction<T> = { label: (row: T) => string; ariaLabel?: (row: T) => string; testId?: (row: T) => string; run: (row: T) => Promise<string>; hidden?: (row: T) => boolean };

export type ListEditProps<T> = {
  /** data-testid of the section, and the prefix of the table's (`<testId>-table`). */
  testId: string;
  tableTestId?: string;
  title: string;
  intro?: ReactNode;
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowTestId?: (row: T) => string;
  columns: ListColumn<T>[];
  /** The row's name in the Edit/Delete buttons' accessible names ("Edit Billing"). */
  rowName: (row: T) => string;
  /** Accessible names of a row's Edit and Delete buttons when "Edit <name>" is not what the screen says. */
  editAria?: (row: T) => string;
  deleteAria?: (row: T) => string;
  reload: () => Promise<unknown>;
  /** The editor for a row (null: a new one). Without it the list has no Edit button and no New form. */
  editor?: (props: EditorProps<T>) => ReactNode;
  /** 'button' (default): a New button opens the editor; 'always': the new-row form stays open under the list; 'none'. */
  newForm?: 'button' | 'always' | 'none';
  newLabel?: string;
  newTestId?: string;
  editTestId?: (row: T) => string;
  mayEdit?: (row: T) => boolean;
  /** Delete after a confirmation dialog; `run` answers the status message. */
  remove?: { confirmTitle: string; confirmText: (row: T) => string; run: (row: T) => Promise<string>; hidden?: (row: T) => boolean };
  actions?: RowAction<T>[];
  /** Filters or paging above the table. */
  toolbar?: ReactNode;
  /** Under the table (paging). */
  footer?: ReactNode;
  empty?: string;
};

/**
 * The admin screens' one list-and-edit skeleton: a titled table with per-row Edit / Delete (confirmed) /
 * other actions, one editor open at a time (a row's or a new one), a status line announcing what was done,
 * and one error banner for the row actions. Screens give columns, an editor and the API calls; the
 * skeleton keeps the behaviour (focus, aria-expanded, confirmation, reload after a change) the same everywhere.
 */
export function ListEdit<T>(p: ListEditProps<T>) {
  const { t } = useTranslation('admin2');
  const [editing, setEditing] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<T | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const action = useSubmit();
  const newForm = p.editor ? p.newForm ?? 'button' : 'none';
  const current = editing && editing !== NEW ? p.rows.find((r) => p.rowKey(r) === editing) ?? null : null;

  /** Reloads and announces; an empty message (an action that only opens something elsewhere) announces nothing. */
  async function announce(message: string) {
    await p.reload();
    setStatus(message || null);
  }
  const saved = async (message: string) => {
    setEditing(null);
    await announce(message);
  };
  function runAction(row: T, run: (row: T) => Promise<string>) {
    setStatus(null);
    void action.run(async () => {
      const message = await run(row);
      if (editing === p.rowKey(row)) setEditing(null);
      await announce(message);
    });
  }
  const hasActions = !!p.editor || !!p.remove || !!p.actions?.length;
  return (
    <section className="panel" data-testid={p.testId} aria-labelledby={`${p.testId}-h`}>
      <h2 id={`${p.testId}-h`}>{p.title}</h2>
      {p.intro ? <div className="muted">{p.intro}</div> : null}
      {status ? <p className="banner banner-ok" role="status" data-testid="admin-status">{status}</p> : null}
      <ErrorBanner error={action.error} />
      {p.toolbar}
      {p.rows.length === 0 && p.empty ? <p className="muted" data-testid={`${p.testId}-empty`}>{p.empty}</p> : (
        <div className="table-wrap">
          <table className="table" data-testid={p.tableTestId ?? `${p.testId}-table`}>
            <caption className="sr-only">{p.title}</caption>
            <thead>
              <tr>
                {p.columns.map((c) => <th key={c.header} scope="col">{c.header}</th>)}
                {hasActions ? <th scope="col"><span className="sr-only">{t('list.actions')}</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {p.rows.map((row) => {
                const key = p.rowKey(row);
                const name = p.rowName(row);
                return (
                  <tr key={key} data-testid={p.rowTestId?.(row)}>
                    {p.columns.map((c) => (c.rowHeader
                      ? <th key={c.header} scope="row" className={c.className}>{c.cell(row)}</th>
                      : <td key={c.header} className={c.className}>{c.cell(row)}</td>))}
                    {hasActions ? (
                      <td className="right">
                        <span className="row-actions">
                          {p.editor && (p.mayEdit?.(row) ?? true) ? (
                            <button type="button" className="button small" aria-expanded={editing === key} aria-label={p.editAria?.(row) ?? t('list.editOne', { name })}
                              data-testid={p.editTestId?.(row)} onClick={() => { setStatus(null); setEditing(editing === key ? null : key); }}>{t('list.edit')}</button>
                          ) : null}
                          {(p.actions ?? []).filter((a) => !a.hidden?.(row)).map((a) => (
                            <button key={a.label(row)} type="button" className="button small" disabled={action.busy} aria-label={a.ariaLabel?.(row)}
                              data-testid={a.testId?.(row)} onClick={() => runAction(row, a.run)}>{a.label(row)}</button>
                          ))}
                          {p.remove && !p.remove.hidden?.(row) ? (
                            <button type="button" className="button small danger" aria-label={p.deleteAria?.(row) ?? t('list.deleteOne', { name })} onClick={() => setConfirm(row)}>{t('list.delete')}</button>
                          ) : null}
                        </span>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {p.footer}
      {p.editor && current ? <div key={editing ?? ''}>{p.editor({ row: current, saved, cancel: () => setEditing(null) })}</div> : null}
      {p.editor && newForm === 'always' ? <div key="new">{p.editor({ row: null, saved: announce, cancel: () => undefined })}</div> : null}
      {p.editor && newForm === 'button' ? (editing === NEW
        ? <div key="new">{p.editor({ row: null, saved, cancel: () => setEditing(null) })}</div>
        : editing === null ? (
          <div className="actions">
            <button type="button" className="button primary" data-testid={p.newTestId} onClick={() => { setStatus(null); setEditing(NEW); }}>{p.newLabel ?? t('list.new')}</button>
          </div>
        ) : null) : null}
      {p.remove ? (
        <ConfirmDialog open={confirm !== null} title={p.remove.confirmTitle} confirmLabel={t('list.delete')} onCancel={() => setConfirm(null)}
          onConfirm={() => { const row = confirm; setConfirm(null); if (row && p.remove) runAction(row, p.remove.run); }}>
          <p>{confirm ? p.remove.confirmText(confirm) : ''}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

const NEW = '\u0000new';
