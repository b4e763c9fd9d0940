import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

// Up to three published help-centre articles for what the customer is typing (the web form, the help
// centre's search). Public endpoint, debounced: it is rate-limited per client.

export type KbSuggestion = { id: string; title: string; language: string; snippet: string; url: string };

/** The path of an article's page in this app (the server's URL may name another host in development). */
export function articlePath(id: string): string {
  return `/help/articles/${encodeURIComponent(id)}`;
}

export function useKbSuggestions(text: string, language?: string): KbSuggestion[] {
  const [items, setItems] = useState<KbSuggestion[]>([]);
  useEffect(() => {
    const query = text.trim();
    if (query.length < 3) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const url = `/api/v1/help/suggest?q=${encodeURIComponent(query.slice(0, 500))}${language ? `&language=${encodeURIComponent(language)}` : ''}`;
      fetch(url, { signal: controller.signal, credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? r.json() : { data: [] }))
        .then((body: { data: KbSuggestion[] }) => setItems(body.data.slice(0, 3)))
        .catch(() => undefined);
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, language]);
  return items;
}

/** `heading`: what the list is called (defaults to "Articles that may help"). */
export function KbSuggestions(props: { text: string; language?: string; heading?: string; testId?: string }) {
  const { t } = useTranslation('workspace');
  const items = useKbSuggestions(props.text, props.language);
  const heading = props.heading ?? t('help.mayHelp');
  return (
    <section className="kb-suggestions" aria-label={heading} aria-live="polite" data-testid={props.testId ?? 'kb-suggestions'}>
      {items.length ? (
        <>
          <h2 className="small">{heading}</h2>
          <ul>
            {items.map((s) => (
              <li key={s.id} data-testid="kb-suggestion">
                <a href={articlePath(s.id)} target="_blank" rel="noreferrer" lang={s.language}>{s.title}</a>
                <p className="muted small" lang={s.language}>{s.snippet}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
