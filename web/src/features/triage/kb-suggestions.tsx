import { useEffect, useState } from 'react';

// Up to three published help-centre articles for what the customer is typing (web form), or, given a
// ticket reference and a staff session, for the agent's reply box. Self-contained: plain fetch, so the
// workspace can drop it into the form and the reply box without wiring.

export type KbSuggestion = { id: string; title: string; language: string; snippet: string; url: string };

export function KbSuggestions(props: { text: string; language?: string; onInsertLink?: (s: KbSuggestion) => void; ticketRef?: string }) {
  const [items, setItems] = useState<KbSuggestion[]>([]);
  useEffect(() => {
    const query = props.text.trim();
    if (!props.ticketRef && query.length < 3) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    // Debounced: the public endpoint is rate-limited per client.
    const timer = setTimeout(() => {
      const url = props.ticketRef
        ? `/api/v1/tickets/${encodeURIComponent(props.ticketRef)}/kb-suggestions`
        : `/api/v1/help/suggest?q=${encodeURIComponent(query.slice(0, 500))}${props.language ? `&language=${encodeURIComponent(props.language)}` : ''}`;
      fetch(url, { signal: controller.signal, credentials: 'same-origin' })
        .then((r) => (r.ok ? r.json() : { data: [] }))
        .then((body: { data: KbSuggestion[] }) => setItems(body.data.slice(0, 3)))
        .catch(() => undefined);
    }, 350);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [props.text, props.language, props.ticketRef]);
  if (items.length === 0) return null;
  return (
    <aside className="kb-suggestions" aria-label="Suggested articles">
      <ul>
        {items.map((s) => (
          <li key={s.id}>
            <a href={s.url} target="_blank" rel="noreferrer">{s.title}</a>
            <p>{s.snippet}</p>
            {props.onInsertLink ? <button type="button" onClick={() => props.onInsertLink?.(s)}>Insert link</button> : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
