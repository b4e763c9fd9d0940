import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/query.ts';
import { Badge, ErrorBanner, Loading, SelectField } from '../../app/ui.tsx';
import { ListEdit } from './list-edit.tsx';

type Item = { id: string; title: string; language: string; status: string; category_id: string | null; original_id: string | null; updated_at: string; archived_at: string | null; translations: number };
type Page = { data: Item[]; total: number; page: number; per_page: number };
type Query = { category_id?: string; language?: string; status?: 'draft' | 'published' | 'internal'; archived?: 'true' | 'false'; page: number; per_page: number };

const LANGS = ['en', 'ru', 'zh', 'bg'] as const;
const STATES = ['draft', 'published', 'internal'] as const;
const TONE: Record<string, string> = { draft: 'muted', published: 'green', internal: 'purple' };
const PER_PAGE = 20;

const listArticles = async (query: Query) => call<Page>(client.GET('/api/v1/kb/articles', { params: { query } }));

/**
 * Every article a page at a time, newest change first, filtered by category, language, state and archived —
 * so an article can be found without remembering its words (the knowledge base had search only).
 * `version` changes after each save elsewhere on the page, so the list shows it.
 */
export function KbArticleList({ categories, version, onEdit }: { categories: { id: string; name: string }[]; version: number; onEdit: (id: string) => void }) {
  const { t } = useTranslation('admin2');
  const { t: ta } = useTranslation('admin');
  const [category, setCategory] = useState('');
  const [language, setLanguage] = useState('');
  const [state, setState] = useState('');
  const [archived, setArchived] = useState('false');
  const [page, setPage] = useState(1);
  const query: Query = {
    page, per_page: PER_PAGE, archived: archived === 'true' ? 'true' : 'false',
    ...(category ? { category_id: category } : {}), ...(language ? { language } : {}),
    ...((STATES as readonly string[]).includes(state) ? { status: state as Query['status'] } : {}),
  };
  const list = useLoad(['admin', 'kb', 'articles', query, version], () => listArticles(query));
  // The previous page stays on screen while the next loads, so the filters (and the focus on them) stay put.
  const last = useRef<Page | null>(null);
  if (list.data) last.current = list.data;
  const shown = list.data ?? last.current;
  const filter = (set: (v: string) => void) => (v: string) => { set(v); setPage(1); };
  const categoryName = (id: string | null) => (id ? categories.find((c) => c.id === id)?.name ?? '' : t('kbList.noCategory'));
  const pages = shown ? Math.max(1, Math.ceil(shown.total / PER_PAGE)) : 1;
  const toolbar = (
    <div className="inline-form" data-testid="kb-list-filters">
      <SelectField label={t('kbList.category')} value={category} onChange={filter(setCategory)}>
        <option value="">{t('kbList.any')}</option>
        <option value="none">{t('kbList.noCategory')}</option>
        {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </SelectField>
      <SelectField label={t('kbList.language')} value={language} onChange={filter(setLanguage)}>
        <option value="">{t('kbList.any')}</option>
        {LANGS.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
      </SelectField>
      <SelectField label={t('kbList.state')} value={state} onChange={filter(setState)}>
        <option value="">{t('kbList.any')}</option>
        {STATES.map((s) => <option key={s} value={s}>{ta(`kb.states.${s}`)}</option>)}
      </SelectField>
      <SelectField label={t('kbList.archived')} value={archived} onChange={filter(setArchived)}>
        <option value="false">{t('kbList.live')}</option>
        <option value="true">{t('kbList.archivedOnly')}</option>
      </SelectField>
    </div>
  );
  if (!shown) return list.error ? <ErrorBanner error={list.error} /> : <Loading />;
  return (
    <ListEdit<Item> testId="kb-article-list" title={t('kbList.title')} rows={shown.data} reload={list.reload}
      toolbar={<>{toolbar}<ErrorBanner error={list.error} /></>}
      intro={<p role="status" data-testid="kb-list-count">{t('kbList.count', { count: shown.total })}</p>}
      rowKey={(a) => a.id} rowTestId={(a) => `kb-list-row-${a.title}`} rowName={(a) => a.title} empty={t('kbList.empty')}
      columns={[
        { header: ta('kb.titleField'), cell: (a) => <span lang={a.language}>{a.title}</span>, rowHeader: true },
        { header: t('kbList.language'), cell: (a) => t(`lang.${a.language}`, { defaultValue: a.language }) },
        { header: t('kbList.state'), cell: (a) => <Badge tone={TONE[a.status] ?? 'muted'}>{ta(`kb.states.${a.status}`, { defaultValue: a.status })}</Badge> },
        { header: t('kbList.category'), cell: (a) => categoryName(a.category_id) },
        { header: t('kbList.translations'), cell: (a) => (a.original_id ? t('kbList.isTranslation') : String(a.translations)) },
        { header: t('kbList.updated'), cell: (a) => formatDateTime(a.updated_at) },
      ]}
      actions={[{ label: () => t('list.edit'), ariaLabel: (a) => t('list.editOne', { name: a.title }), testId: (a) => `kb-list-edit-${a.title}`, run: async (a) => { onEdit(a.id); return ''; } }]}
      footer={pages > 1 ? (
        <nav className="actions" aria-label={t('kbList.paging')} data-testid="kb-list-paging">
          <button type="button" className="button small" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('list.previous')}</button>
          <span aria-current="page">{t('kbList.pageOf', { page, pages })}</span>
          <button type="button" className="button small" disabled={page >= pages} onClick={() => setPage(page + 1)} data-testid="kb-list-next">{t('list.next')}</button>
        </nav>
      ) : null} />
  );
}
