import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../lib/api.ts';
import { useLoad } from '../../lib/query.ts';
import { Picker } from '../../app/primitives.tsx';
import { ErrorBanner } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { agentApi, type Article, type Macro, type MacroActions } from './agent-api.ts';

/** The field changes a macro makes, in words ("Status: Pending; Tags: needs-info"). */
function describeActions(actions: MacroActions, t: (k: string, o?: Record<string, unknown>) => string): string {
  const parts: string[] = [];
  if (actions.status) parts.push(`${t('properties.status')}: ${t(`status.${actions.status}`, { defaultValue: actions.status })}`);
  if (actions.priority) parts.push(`${t('properties.priority')}: ${t(`priority.${actions.priority}`, { defaultValue: actions.priority })}`);
  if (actions.type) parts.push(`${t('properties.type')}: ${t(`type.${actions.type}`, { defaultValue: actions.type })}`);
  if (actions.group_id !== undefined) parts.push(t('properties.group'));
  if (actions.assignee_id !== undefined) parts.push(t('properties.assignee'));
  if (actions.tags) parts.push(`${t('properties.tags')}: ${actions.tags.join(', ')}`);
  return parts.join('; ');
}

export type StagedMacro = { id: string; title: string; actions: MacroActions };

/** What the staged macro will change when the reply is sent, with a way to drop the changes (the text stays). */
export function StagedMacroNote({ macro, onRemove }: { macro: StagedMacro; onRemove: () => void }) {
  const { t } = useTranslation('workspace');
  if (Object.keys(macro.actions).length === 0) return null;
  return (
    <p className="staged-macro" role="status" data-testid="macro-staged">
      <span>{t('agentday:macro.staged', { title: macro.title, changes: describeActions(macro.actions, t) })}</span>
      <button type="button" className="link-button" onClick={onRemove} data-testid="macro-unstage">{t('agentday:macro.unstage')}</button>
    </p>
  );
}

/**
 * Searchable macros for the reply box (a combobox: type, arrows, Enter): pick one to preview it rendered for this ticket (placeholders filled,
 * the fields it would set named), then insert it — which puts its text in the reply and stages its field changes for the send.
 */
export function MacroPicker({ ticket, onInsert, onStage }: { ticket: Ticket; onInsert: (text: string) => void; onStage: (m: StagedMacro) => void }) {
  const { t } = useTranslation('workspace');
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const [chosen, setChosen] = useState<Macro | null>(null);
  const { busy, error, run } = useSubmit();
  const [inserted, setInserted] = useState<string | null>(null);
  useEffect(() => {
    const tm = window.setTimeout(() => setDebounced(q), 200);
    return () => window.clearTimeout(tm);
  }, [q]);
  const list = useLoad(['macros', debounced], () => agentApi.macros(debounced));
  const preview = useLoad(['macro-preview', ticket.number, chosen?.id ?? ''], () => agentApi.previewMacro(ticket.number, chosen?.id ?? ''), { enabled: !!chosen });
  const macros = list.data?.data ?? [];

  async function insert() {
    if (!chosen) return;
    await run(async () => {
      const rendered = preview.data ?? await agentApi.previewMacro(ticket.number, chosen.id);
      onInsert(rendered.text);
      onStage({ id: chosen.id, title: chosen.title, actions: rendered.actions });
      setInserted(chosen.title);
      setChosen(null);
    });
  }

  return (
    <details className="reply-tool" data-testid="macro-picker">
      <summary>{t('macros.title')}</summary>
      <Picker<Macro | null> label={t('macros.search')} testId="macro-search" value={chosen} anchored={false} optionsClassName="macro-list"
        display={(m) => m?.title ?? ''} onQuery={setQ} onChange={(m) => setChosen(m)} empty={list.data ? t('macros.none') : undefined}
        options={macros.slice(0, 8).map((m) => ({
          value: m, label: m.title, testId: 'macro-option',
          detail: `${m.language.toUpperCase()} · ${m.shared ? t('macros.shared') : t('macros.personal')}`,
        }))} />
      <ErrorBanner error={list.error} />
      {chosen ? (
        <div className="macro-preview" data-testid="macro-preview" aria-live="polite">
          <h3 className="small">{t('macros.preview', { title: chosen.title })}</h3>
          <ErrorBanner error={preview.error} />
          {preview.data ? (
            <>
              <pre className="preview-text" data-testid="macro-preview-text">{preview.data.text}</pre>
              {Object.keys(preview.data.actions).length ? (
                <p className="small" data-testid="macro-preview-actions">{t('agentday:macro.setsOnSend', { changes: describeActions(preview.data.actions, t) })}</p>
              ) : null}
            </>
          ) : null}
          <ErrorBanner error={error} />
          <div className="actions">
            <button type="button" className="button primary" onClick={() => void insert()} disabled={busy || !preview.data} data-testid="macro-insert">
              {t('macros.insert')}
            </button>
            <button type="button" className="button" onClick={() => setChosen(null)}>{t('macros.cancel')}</button>
          </div>
        </div>
      ) : null}
      {inserted ? <p className="muted small" role="status" data-testid="macro-inserted">{t('macros.inserted', { title: inserted })}</p> : null}
    </details>
  );
}

/** Up to three articles matching the ticket's text, each with "insert link" into the reply. */
export function ReplyKbSuggestions({ ticket, onInsert }: { ticket: Ticket; onInsert: (text: string) => void }) {
  const { t } = useTranslation('workspace');
  const hits = useLoad(['kb-suggestions', ticket.number], () => agentApi.kbSuggestions(ticket.number));
  const items = (hits.data?.data ?? []).slice(0, 3);
  return (
    <section className="reply-tool" aria-labelledby="kb-h" data-testid="reply-kb">
      <h3 id="kb-h" className="small">{t('kb.title')}</h3>
      {hits.data && items.length === 0 ? <p className="muted small">{t('kb.none')}</p> : null}
      <ul className="kb-list">
        {items.map((s) => (
          <li key={s.id} data-testid="reply-kb-item">
            <a href={s.url} target="_blank" rel="noreferrer" lang={s.language}>{s.title}</a>
            {s.status === 'internal' ? <span className="badge badge-amber">{t('kb.internal')}</span> : null}
            <p className="muted small" lang={s.language}>{s.snippet}</p>
            <button type="button" className="button small-button" onClick={() => onInsert(`${s.title}: ${s.url}`)}
              aria-label={t('kb.insertLinkTo', { title: s.title })} data-testid="kb-insert-link">
              {t('kb.insertLink')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "Turn this reply into an article": a draft in the knowledge base from one of the agent's public replies. */
export function ArticleFromReply({ ticket, messageId }: { ticket: Ticket; messageId: string }) {
  const { t } = useTranslation('workspace');
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(ticket.subject);
  const [made, setMade] = useState<Article | null>(null);
  const { busy, error, run } = useSubmit();
  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      setMade(await agentApi.articleFromMessage(ticket.number, messageId, title.trim()));
      setOpen(false);
    });
  }
  if (made) return <p className="muted small" role="status" data-testid="article-made">{t('kb.draftMade', { title: made.title })}</p>;
  if (!open) {
    return (
      <button type="button" className="link-button small" onClick={() => setOpen(true)} data-testid="article-from-reply">
        {t('kb.toArticle')}
      </button>
    );
  }
  return (
    <form className="inline-form" onSubmit={submit} data-testid="article-form">
      <label htmlFor={titleId}>{t('kb.articleTitle')}</label>
      <input id={titleId} value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={250} />
      <button type="submit" className="button" disabled={busy || !title.trim()}>{t('kb.createDraft')}</button>
      <button type="button" className="button" onClick={() => setOpen(false)}>{t('macros.cancel')}</button>
      <ErrorBanner error={error} />
    </form>
  );
}
