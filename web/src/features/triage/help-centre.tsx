import { useEffect, useState } from 'react';
import { KbSuggestions } from './kb-suggestions.tsx';

// The public help centre: published articles by category, one article with links to its translations,
// and the same as-you-type search the web form uses. Route it at /help and /help/articles/:id.

type Category = { id: string; name: string };
type ArticleSummary = { id: string; title: string; language: string; category_id: string | null };
type Article = ArticleSummary & { body: string; translations: { id: string; language: string; title: string }[] };

export function HelpCentre(props: { articleId?: string; language?: string }) {
  const [categories, setCategories] = useState<Category[]>([]);
  const [articles, setArticles] = useState<ArticleSummary[]>([]);
  const [article, setArticle] = useState<Article | null>(null);
  const [query, setQuery] = useState('');
  useEffect(() => {
    void fetch('/api/v1/kb/categories').then((r) => r.json()).then((b: { data: Category[] }) => setCategories(b.data));
    void fetch(`/api/v1/help/articles${props.language ? `?language=${encodeURIComponent(props.language)}` : ''}`).then((r) => r.json()).then((b: { data: ArticleSummary[] }) => setArticles(b.data));
  }, [props.language]);
  useEffect(() => {
    if (!props.articleId) return setArticle(null);
    void fetch(`/api/v1/help/articles/${encodeURIComponent(props.articleId)}`).then((r) => (r.ok ? r.json() : null)).then(setArticle);
  }, [props.articleId]);
  if (article) {
    return (
      <article className="help-article">
        <a href="/help">← Help centre</a>
        <h1 lang={article.language}>{article.title}</h1>
        <div lang={article.language} style={{ whiteSpace: 'pre-wrap' }}>{article.body}</div>
        {article.translations.length ? (
          <p>Also in: {article.translations.map((t) => <a key={t.id} href={`/help/articles/${t.id}`} lang={t.language}>{t.language.toUpperCase()} </a>)}</p>
        ) : null}
      </article>
    );
  }
  return (
    <section className="help-centre">
      <h1>Help centre</h1>
      <input type="search" placeholder="Search the help centre" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search" />
      <KbSuggestions text={query} {...(props.language ? { language: props.language } : {})} />
      {[...categories, { id: '', name: 'Other' }].map((c) => {
        const inCategory = articles.filter((a) => (a.category_id ?? '') === c.id);
        if (inCategory.length === 0) return null;
        return (
          <div key={c.id || 'other'}>
            <h2>{c.name}</h2>
            <ul>{inCategory.map((a) => <li key={a.id}><a href={`/help/articles/${a.id}`} lang={a.language}>{a.title}</a></li>)}</ul>
          </div>
        );
      })}
    </section>
  );
}
