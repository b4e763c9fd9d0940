import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useParams } from 'react-router';
import { LanguageSwitch } from '../../app/language-switch.tsx';
import { usePageTitle } from '../../app/page-title.ts';
import { ErrorBanner, Loading } from '../../app/ui.tsx';
import { toLanguage } from '../../i18n/i18n.ts';
import { useLoad } from '../../lib/query.ts';
import { articlePath, useKbSuggestions } from './kb-suggestions.tsx';

// The public help centre at /help: published articles by category in the reader's language, one article
// with links to its translations, and as-you-type search (the web form's suggestions).

/** `display_name`: the category's name in the reader's language, or its default name (GET /kb/categories?language=). */
type Category = { id: string; name: string; display_name?: string };
type ArticleSummary = { id: string; title: string; language: string; category_id: string | null };
type Article = ArticleSummary & { body: string; translations: { id: string; language: string; title: string }[] };

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as T;
}

export function HelpCentreApp() {
  return (
    <main className="public-page help-page" id="main">
      <div className="public-tools">
        <LanguageSwitch />
      </div>
      <Routes>
        <Route path="articles/:id" element={<ArticlePage />} />
        <Route path="*" element={<HelpHome />} />
      </Routes>
    </main>
  );
}

function HelpHome() {
  const { t, i18n } = useTranslation('workspace');
  const lang = toLanguage(i18n.language) ?? 'en';
  const searchId = useId();
  const [query, setQuery] = useState('');
  usePageTitle(t('help.title'));
  const categories = useLoad(['help', 'categories', lang], () => getJson<{ data: Category[] }>(`/api/v1/kb/categories?language=${lang}`));
  const all = useLoad(['help', 'articles'], () => getJson<{ data: ArticleSummary[] }>('/api/v1/help/articles'));
  const hits = useKbSuggestions(query, lang);
  // The reader's language first; every article when none is written in it yet.
  const mine = (all.data?.data ?? []).filter((a) => a.language === lang);
  const articles = mine.length ? mine : (all.data?.data ?? []);
  return (
    <section className="card" data-testid="help-centre">
      <p className="eyebrow">Replyby</p>
      <h1>{t('help.title')}</h1>
      <div className="field">
        <label htmlFor={searchId}>{t('help.search')}</label>
        <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="help-search" autoComplete="off" />
      </div>
      <div aria-live="polite" data-testid="help-results">
        {query.trim().length >= 3 ? (
          hits.length ? (
            <ul>
              {hits.map((h) => (
                <li key={h.id} data-testid="help-hit">
                  <Link to={articlePath(h.id)} lang={h.language}>{h.title}</Link>
                  <p className="muted small" lang={h.language}>{h.snippet}</p>
                </li>
              ))}
            </ul>
          ) : <p className="muted">{t('help.noHits')}</p>
        ) : null}
      </div>
      <ErrorBanner error={all.error ?? categories.error} />
      {!all.data && !all.error ? <Loading label={t('help.loading')} /> : null}
      {[...(categories.data?.data ?? []), { id: '', name: t('help.other') }].map((c) => {
        const inCategory = articles.filter((a) => (a.category_id ?? '') === c.id);
        if (inCategory.length === 0) return null;
        return (
          <div key={c.id || 'other'}>
            <h2>{c.display_name ?? c.name}</h2>
            <ul>{inCategory.map((a) => <li key={a.id}><Link to={articlePath(a.id)} lang={a.language}>{a.title}</Link></li>)}</ul>
          </div>
        );
      })}
      <p className="muted small">
        {t('help.contact')} <a href="/support">{t('help.contactLink')}</a>
      </p>
    </section>
  );
}

function ArticlePage() {
  const { t } = useTranslation('workspace');
  const { id = '' } = useParams();
  const article = useLoad(['help', 'article', id], () => getJson<Article>(`/api/v1/help/articles/${encodeURIComponent(id)}`));
  const a = article.data;
  usePageTitle(a?.title ?? t('help.title'));
  return (
    <article className="card help-article" data-testid="help-article">
      <p><Link to="/help">← {t('help.title')}</Link></p>
      {article.error ? <p>{t('help.notFound')}</p> : !a ? <Loading label={t('help.loading')} /> : (
        <>
          <h1 lang={a.language}>{a.title}</h1>
          <div lang={a.language} className="article-body">{a.body}</div>
          {a.translations.length ? (
            <p>
              {t('help.alsoIn')}{' '}
              {a.translations.map((tr) => (
                <Link key={tr.id} to={articlePath(tr.id)} lang={tr.language} hrefLang={tr.language} className="translation-link">{tr.title}</Link>
              ))}
            </p>
          ) : null}
        </>
      )}
    </article>
  );
}
