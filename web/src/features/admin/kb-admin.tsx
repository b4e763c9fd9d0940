import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../lib/api.ts';
import type { paths } from '../../lib/api-schema.d.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Field, Loading, SelectField, TextField } from '../../app/ui.tsx';
import { useSubmit } from '../../app/use-submit.ts';
import { bannerError, fieldErrorsOf, useFocusFirstInvalid } from './forms.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { KbArticleList } from './kb-article-list.tsx';
import { KbCategoryNames, type CategoryNames } from './kb-category-names.tsx';

type ArticleBody = paths['/api/v1/kb/articles']['post']['requestBody']['content']['application/json'];
type ArticleState = NonNullable<ArticleBody['status']>;
type Category = { id: string; name: string; position: number; names?: CategoryNames };
type Article = {
  id: string; title: string; body: string; language: string; status: ArticleState; category_id: string | null; original_id: string | null;
  url: string | null; archived_at: string | null; translations: { id: string; language: string; title: string; archived_at: string | null }[];
};
type Archived = { id: string; title: string; language: string; status: ArticleState; original_id: string | null; archived_at: string };
type Hit = { id: string; title: string; language: string; status: ArticleState; category_id: string | null; snippet: string };

const LANGS = ['en', 'ru', 'zh', 'bg'] as const;
const STATES: readonly ArticleState[] = ['draft', 'published', 'internal'];
const STATE_TONE: Record<ArticleState, string> = { draft: 'muted', published: 'green', internal: 'purple' };

const byId = (v: string) => ({ params: { path: { id: v } } });
const kbApi = {
  categories: async () => (await call<{ data: Category[] }>(client.GET('/api/v1/kb/categories'))).data,
  createCategory: (name: string) => call<Category>(client.POST('/api/v1/kb/categories', { body: { name } })),
  search: async (q: string) => (await call<{ data: Hit[] }>(client.GET('/api/v1/kb/search', { params: { query: { q, limit: 50 } } }))).data,
  get: (aid: string) => call<Article>(client.GET('/api/v1/kb/articles/{id}', byId(aid))),
  create: (body: ArticleBody) => call<Article>(client.POST('/api/v1/kb/articles', { body })),
  update: (aid: string, body: ArticleBody) => call<Article>(client.PATCH('/api/v1/kb/articles/{id}', { ...byId(aid), body })),
  renameCategory: (cid: string, name: string) => call<Category>(client.PATCH('/api/v1/kb/categories/{id}', { ...byId(cid), body: { name } })),
  deleteCategory: (cid: string) => call<unknown>(client.DELETE('/api/v1/kb/categories/{id}', byId(cid))),
  archive: (aid: string) => call<Article & { affected_ids: string[] }>(client.POST('/api/v1/kb/articles/{id}/archive', byId(aid))),
  restore: (aid: string) => call<Article & { affected_ids: string[] }>(client.POST('/api/v1/kb/articles/{id}/restore', byId(aid))),
  archived: async () => (await call<{ data: Archived[] }>(client.GET('/api/v1/kb/archived'))).data,
};

/** What the editor shows: a new article, a new translation of an original, or an existing article. */
type Editing = { kind: 'new' } | { kind: 'translate'; original: Article } | { kind: 'edit'; id: string };

/** Admin → Knowledge base: categories, staff search over every article (drafts and internal ones too), the article editor and translations. */
export function KbAdmin() {
  const { t } = useTranslation('admin');
  const { t: tt } = useTranslation('triage');
  const cats = useLoad(['admin', 'kb', 'categories'], kbApi.categories);
  const archived = useLoad(['admin', 'kb', 'archived'], kbApi.archived);
  const [query, setQuery] = useState('');
  const [lastQuery, setLastQuery] = useState<string | null>(null);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // Bumped on every save, so an article opened again shows its newest translations rather than a cached copy.
  const [version, setVersion] = useState(0);
  const searching = useSubmit();
  const searchErrors = fieldErrorsOf(searching.error);
  if (!cats.data) return cats.error ? <ErrorBanner error={cats.error} /> : <Loading />;
  const categories = cats.data;
  const categoryName = (cid: string | null) => categories.find((c) => c.id === cid)?.name ?? '';

  async function runSearch(q: string) {
    await searching.run(async () => {
      setHits(await kbApi.search(q));
      setLastQuery(q);
    });
  }
  function submitSearch(e: FormEvent) {
    e.preventDefault();
    void runSearch(query.trim());
  }
  async function saved(a: Article, created: boolean) {
    setStatus(t(created ? 'kb.created' : 'kb.saved', { name: a.title }));
    setVersion((v) => v + 1);
    setEditing({ kind: 'edit', id: a.id });
    if (lastQuery) await runSearch(lastQuery);
  }
  /** After an archive or a restore: the message, a fresh archive list and search. */
  async function archiveChanged(message: string, close: boolean) {
    setStatus(message);
    setVersion((v) => v + 1);
    if (close) setEditing(null);
    await archived.reload();
    if (lastQuery) await runSearch(lastQuery);
  }
  const editorKey = editing === null ? 'none' : editing.kind === 'edit' ? `edit-${editing.id}` : editing.kind === 'translate' ? `tr-${editing.original.id}` : 'new';
  return (
    <section className="panel" data-testid="kb-admin">
      <h2>{t('kb.title')}</h2>
      <p className="muted">{t('kb.intro')}</p>
      {status ? <p className="banner banner-ok" role="status" data-testid="admin-status">{status}</p> : null}
      <CategoriesPanel categories={categories} onCreated={async (c) => { await cats.reload(); setStatus(t('kb.catCreated', { name: c.name })); }}
        onChanged={async (message) => { await cats.reload(); setStatus(message); }} />
      <form className="panel" role="search" aria-label={t('kb.searchTitle')} data-testid="kb-search" noValidate onSubmit={submitSearch}>
        <h3>{t('kb.searchTitle')}</h3>
        <TextField label={t('kb.searchLabel')} hint={t('kb.searchHint')} type="search" error={searchErrors.q} value={query} onChange={setQuery} />
        <ErrorBanner error={bannerError(searching.error, ['q'])} />
        <div className="actions"><button type="submit" className="button" disabled={searching.busy} data-testid="kb-search-submit">{t('kb.search')}</button></div>
      </form>
      {hits === null ? null : hits.length === 0 ? (
        <p className="muted" role="status" data-testid="kb-no-results">{t('kb.noResults', { q: lastQuery ?? '' })}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="kb-table">
            <caption className="sr-only">{t('kb.resultsFor', { q: lastQuery ?? '' })}</caption>
            <thead><tr><th scope="col">{t('kb.titleField')}</th><th scope="col">{t('language')}</th><th scope="col">{t('kb.state')}</th><th scope="col">{t('kb.category')}</th><th scope="col"><span className="sr-only">{t('actions')}</span></th></tr></thead>
            <tbody>
              {hits.map((h) => (
                <tr key={h.id} data-testid={`kb-row-${h.title}`}>
                  <td>{h.title}</td>
                  <td>{t(`kb.lang.${h.language}`, { defaultValue: h.language })}</td>
                  <td><Badge tone={STATE_TONE[h.status] ?? 'muted'}>{t(`kb.states.${h.status}`, { defaultValue: h.status })}</Badge></td>
                  <td>{categoryName(h.category_id)}</td>
                  <td className="right">
                    <button type="button" className="button small" aria-label={t('kb.editOne', { name: h.title })} onClick={() => { setStatus(null); setEditing({ kind: 'edit', id: h.id }); }}>{t('edit')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <KbArticleList categories={categories} version={version} onEdit={(aid) => setEditing({ kind: 'edit', id: aid })} />
      {editing === null ? (
        <div className="actions"><button type="button" className="button primary" data-testid="kb-new" onClick={() => { setStatus(null); setEditing({ kind: 'new' }); }}>{t('kb.new')}</button></div>
      ) : editing.kind === 'edit' ? (
        <ExistingArticle key={editorKey} id={editing.id} version={version} categories={categories} onSaved={saved} onCancel={() => setEditing(null)}
          onOpen={(aid) => { setStatus(null); setEditing({ kind: 'edit', id: aid }); }}
          onArchived={(a, n) => archiveChanged(tt('kb.archivedDone', { name: a.title, count: n }), true)}
          onTranslate={(original) => { setStatus(null); setEditing({ kind: 'translate', original }); }} />
      ) : (
        <ArticleEditor key={editorKey} article={null} original={editing.kind === 'translate' ? editing.original : null} categories={categories} onSaved={saved} onCancel={() => setEditing(null)} />
      )}
      <ArchivePanel archived={archived.data} error={archived.error}
        onRestored={(a, n) => archiveChanged(tt('kb.restoredDone', { name: a.title, count: n }), false)} />
    </section>
  );
}

function CategoriesPanel({ categories, onCreated, onChanged }: {
  categories: Category[]; onCreated: (c: Category) => Promise<void>; onChanged: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation('admin');
  const [name, setName] = useState('');
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const c = await kbApi.createCategory(name.trim());
      setName('');
      await onCreated(c);
    });
  }
  return (
    <form ref={formRef} className="panel" aria-label={t('kb.categories')} data-testid="kb-categories" noValidate onSubmit={submit}>
      <h3>{t('kb.categories')}</h3>
      {categories.length === 0 ? <p className="muted">{t('kb.noCategories')}</p> : (
        <ul className="plain" data-testid="kb-category-list">{categories.map((c) => <CategoryItem key={c.id} category={c} onChanged={onChanged} />)}</ul>
      )}
      <TextField label={t('kb.categoryName')} error={fe.name} value={name} onChange={setName} />
      <ErrorBanner error={bannerError(error, ['name'])} />
      <div className="actions"><button type="submit" className="button" disabled={busy} data-testid="kb-category-create">{t('kb.addCategory')}</button></div>
    </form>
  );
}

// Confirm dialogs are mounted only while open: each carries id="confirm-title", and one per row would repeat it.

/** One category: rename in place, or delete it (the server refuses, naming why, while articles are in it). */
function CategoryItem({ category, onChanged }: { category: Category; onChanged: (message: string) => Promise<void> }) {
  const { t } = useTranslation('triage');
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(category.name);
  const [confirming, setConfirming] = useState(false);
  const [translating, setTranslating] = useState(false);
  const { t: t2 } = useTranslation('admin2');
  const { busy, error, run } = useSubmit();
  const fe = fieldErrorsOf(error);
  const translated = Object.entries(category.names ?? {}).filter(([, v]) => v);
  // A form inside the categories form would be invalid HTML: the rename box submits on Enter by hand.
  function rename() {
    void run(async () => {
      const c = await kbApi.renameCategory(category.id, name.trim());
      setRenaming(false);
      await onChanged(t('kb.catRenamed', { name: c.name }));
    });
  }
  function remove() {
    setConfirming(false);
    void run(async () => {
      await kbApi.deleteCategory(category.id);
      await onChanged(t('kb.catDeleted', { name: category.name }));
    });
  }
  return (
    <li data-testid={`kb-category-${category.name}`}>
      {renaming ? (
        <>
          <TextField label={t('kb.catNewName', { name: category.name })} error={fe.name} value={name} onChange={setName} data-testid="kb-category-name"
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); rename(); } }} />
          <button type="button" className="button small" disabled={busy} onClick={rename} data-testid="kb-category-rename-save">{t('kb.catSave')}</button>{' '}
          <button type="button" className="button small" onClick={() => { setRenaming(false); setName(category.name); }}>{t('kb.cancel')}</button>
        </>
      ) : (
        <>
          <span>{category.name}</span>{translated.length ? <span className="muted small"> ({translated.map(([l, v]) => `${l}: ${v}`).join(', ')})</span> : null}{' '}
          <button type="button" className="button small" aria-expanded={translating} aria-label={t2('kbCat.translateOne', { name: category.name })} data-testid="kb-category-translate"
            onClick={() => setTranslating(!translating)}>{t2('kbCat.translate')}</button>{' '}
          <button type="button" className="button small" aria-label={t('kb.catRenameOne', { name: category.name })} data-testid="kb-category-rename"
            onClick={() => setRenaming(true)}>{t('kb.catRename')}</button>{' '}
          <button type="button" className="button small" disabled={busy} aria-label={t('kb.catDeleteOne', { name: category.name })} data-testid="kb-category-delete"
            onClick={() => setConfirming(true)}>{t('kb.catDelete')}</button>
        </>
      )}
      {translating ? <KbCategoryNames category={category} onCancel={() => setTranslating(false)} onSaved={async (m) => { setTranslating(false); await onChanged(m); }} /> : null}
      <ErrorBanner error={bannerError(error, renaming ? ['name'] : [])} testId="kb-category-error" />
      {confirming ? <ConfirmDialog open title={t('kb.catDeleteTitle', { name: category.name })} confirmLabel={t('kb.catDelete')} onConfirm={remove}
        onCancel={() => setConfirming(false)}>
        <p>{t('kb.catDeleteText')}</p>
      </ConfirmDialog> : null}
    </li>
  );
}

/** Archived articles, newest first, each with Restore. */
function ArchivePanel({ archived, error, onRestored }: { archived: Archived[] | undefined; error: unknown; onRestored: (a: Article, n: number) => Promise<void> }) {
  const { t } = useTranslation('triage');
  const restoring = useSubmit();
  return (
    <section className="panel" aria-labelledby="kb-archive-h" data-testid="kb-archive">
      <h3 id="kb-archive-h">{t('kb.archiveTitle')}</h3>
      <p className="muted small">{t('kb.archiveIntro')}</p>
      <ErrorBanner error={error ?? restoring.error} />
      {!archived ? (error ? null : <Loading />) : archived.length === 0 ? <p className="muted">{t('kb.archiveEmpty')}</p> : (
        <ul className="plain">
          {archived.map((a) => (
            <li key={a.id} data-testid={`kb-archived-${a.title}`}>
              {a.title} <span className="muted small">({a.language}{a.original_id ? `, ${t('kb.translation')}` : ''}) · {formatDateTime(a.archived_at)}</span>{' '}
              <button type="button" className="button small" disabled={restoring.busy} aria-label={t('kb.restoreOne', { name: a.title })} data-testid="kb-restore"
                onClick={() => void restoring.run(async () => { const r = await kbApi.restore(a.id); await onRestored(r, r.affected_ids.length); })}>
                {t('kb.restore')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ExistingArticle({ id, version, categories, onSaved, onCancel, onOpen, onTranslate, onArchived }: {
  id: string; version: number; categories: Category[]; onSaved: (a: Article, created: boolean) => Promise<void>; onCancel: () => void;
  onOpen: (id: string) => void; onTranslate: (original: Article) => void; onArchived: (a: Article, n: number) => Promise<void>;
}) {
  const { t } = useTranslation('admin');
  const { t: tt } = useTranslation('triage');
  const [confirming, setConfirming] = useState(false);
  const archiving = useSubmit();
  const loaded = useLoad(['admin', 'kb', 'article', id, version], () => kbApi.get(id));
  if (!loaded.data) return loaded.error ? <ErrorBanner error={loaded.error} /> : <Loading />;
  const article = loaded.data;
  const liveTranslations = article.original_id ? 0 : article.translations.filter((x) => !x.archived_at).length;
  function archive() {
    setConfirming(false);
    void archiving.run(async () => {
      const r = await kbApi.archive(article.id);
      await onArchived(r, r.affected_ids.length);
    });
  }
  if (article.archived_at) {
    return <p className="banner banner-warn" role="status" data-testid="kb-is-archived">{tt('kb.isArchived', { name: article.title })}</p>;
  }
  return (
    <>
      <ArticleEditor article={article} original={null} categories={categories} onCancel={onCancel}
        onSaved={onSaved} />
      <section className="panel" aria-labelledby="kb-archive-one-h" data-testid="kb-archive-one">
        <h3 id="kb-archive-one-h">{tt('kb.archiveOne', { name: article.title })}</h3>
        <p className="muted small">{article.original_id ? tt('kb.archiveTranslationText') : tt('kb.archiveOriginalText', { count: liveTranslations })}</p>
        <ErrorBanner error={archiving.error} />
        <div className="actions">
          <button type="button" className="button danger" disabled={archiving.busy} data-testid="kb-archive-button" onClick={() => setConfirming(true)}>{tt('kb.archive')}</button>
        </div>
        {confirming ? <ConfirmDialog open title={tt('kb.archiveConfirm', { name: article.title })} confirmLabel={tt('kb.archive')} onConfirm={archive}
          onCancel={() => setConfirming(false)}>
          <p>{article.original_id ? tt('kb.archiveTranslationText') : tt('kb.archiveOriginalText', { count: liveTranslations })}</p>
        </ConfirmDialog> : null}
      </section>
      <section className="panel" aria-label={t('kb.translations')} data-testid="kb-translations">
        <h3>{t('kb.translations')}</h3>
        {article.original_id ? <p className="muted">{t('kb.isTranslation')}</p> : null}
        {article.translations.length === 0 ? <p className="muted">{t('kb.noTranslations')}</p> : (
          <ul>
            {article.translations.map((tr) => (
              <li key={tr.id} data-testid={`kb-translation-${tr.language}`}>
                <button type="button" className="button small" onClick={() => onOpen(tr.id)}
                  aria-label={t('kb.openOne', { name: tr.title, language: t(`kb.lang.${tr.language}`, { defaultValue: tr.language }) })}>
                  {tr.title} ({t(`kb.lang.${tr.language}`, { defaultValue: tr.language })}){tr.id === article.original_id ? ` — ${t('kb.original')}` : ''}
                  {tr.archived_at ? ` — ${tt('kb.archivedMark')}` : ''}
                </button>
              </li>
            ))}
          </ul>
        )}
        {article.original_id ? null : (
          <div className="actions"><button type="button" className="button" data-testid="kb-translate" onClick={() => onTranslate(article)}>{t('kb.addTranslation')}</button></div>
        )}
      </section>
    </>
  );
}

const FIELDS = ['title', 'body', 'language', 'status', 'category_id'] as const;

function ArticleEditor({ article, original, categories, onSaved, onCancel }: {
  article: Article | null; original: Article | null; categories: Category[]; onSaved: (a: Article, created: boolean) => Promise<void>; onCancel: () => void;
}) {
  const { t } = useTranslation('admin');
  const taken = original ? new Set([original.language, ...original.translations.map((x) => x.language)]) : new Set<string>();
  const [title, setTitle] = useState(article?.title ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [language, setLanguage] = useState<string>(article?.language ?? LANGS.find((l) => !taken.has(l)) ?? 'en');
  const [state, setState] = useState<ArticleState>(article?.status ?? 'draft');
  const [categoryId, setCategoryId] = useState(article?.category_id ?? original?.category_id ?? '');
  const { busy, error, run } = useSubmit();
  const formRef = useFocusFirstInvalid<HTMLFormElement>(error);
  const fe = fieldErrorsOf(error);
  function submit(e: FormEvent) {
    e.preventDefault();
    const input: ArticleBody = {
      title: title.trim(), body, language, status: state, category_id: categoryId || null,
      ...(original ? { original_id: original.id } : {}),
    };
    void run(async () => {
      const row = article ? await kbApi.update(article.id, input) : await kbApi.create(input);
      await onSaved(row, !article);
    });
  }
  const heading = article ? t('kb.editOne', { name: article.title }) : original ? t('kb.translationOf', { name: original.title }) : t('kb.new');
  return (
    <form ref={formRef} className="panel" data-testid="kb-editor" aria-label={heading} noValidate onSubmit={submit}>
      <h3>{heading}</h3>
      {article?.url ? <p><a href={article.url}>{t('kb.publicLink')}</a></p> : null}
      <TextField label={t('kb.titleField')} error={fe.title} value={title} onChange={setTitle} />
      <Field label={t('kb.body')} error={fe.body}>
        {(p) => <textarea {...p} rows={10} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <SelectField label={t('language')} error={fe.language ?? fe.original_id} value={language} onChange={setLanguage}>
        {LANGS.map((l) => <option key={l} value={l}>{t(`kb.lang.${l}`)}</option>)}
      </SelectField>
      <SelectField label={t('kb.state')} hint={t('kb.stateHint')} error={fe.status} value={state} onChange={(v) => setState(v as ArticleState)}>
        {STATES.map((s) => <option key={s} value={s}>{t(`kb.states.${s}`)}</option>)}
      </SelectField>
      <SelectField label={t('kb.category')} error={fe.category_id} value={categoryId} onChange={setCategoryId}>
        <option value="">{t('kb.noCategory')}</option>
        {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </SelectField>
      <ErrorBanner error={bannerError(error, [...FIELDS, 'original_id'])} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>{t('cancel')}</button>
        <button type="submit" className="button primary" disabled={busy} data-testid="kb-save">{t('save')}</button>
      </div>
    </form>
  );
}
