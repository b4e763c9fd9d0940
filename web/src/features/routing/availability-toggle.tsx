import { useEffect, useState } from 'react';

// The agent's own availability (online / away / offline) for automatic assignment. Self-contained on
// purpose: it talks to PUT /api/v1/routing/me/availability directly, so the workspace shell can place it
// (e.g. in the header) without other wiring. Going online immediately hands the agent waiting tickets.

const CHOICES = ['online', 'away', 'offline'] as const;
type Availability = (typeof CHOICES)[number];

function csrfHeader(): Record<string, string> {
  const match = /(?:^|;\s*)rb_csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ? { 'X-CSRF-Token': decodeURIComponent(match[1]) } : {};
}

export function AvailabilityToggle({ userId }: { userId: string }) {
  const [value, setValue] = useState<Availability | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void fetch(`/api/v1/routing/agents/${userId}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(async (res) => (res.ok ? setValue(((await res.json()) as { availability: Availability }).availability) : setError(`HTTP ${res.status}`)))
      .catch(() => setError('Cannot reach the server'));
  }, [userId]);

  async function choose(next: Availability) {
    setError(null);
    const res = await fetch('/api/v1/routing/me/availability', {
      method: 'PUT', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...csrfHeader() },
      body: JSON.stringify({ availability: next }),
    }).catch(() => null);
    if (!res?.ok) {
      setError(res ? `HTTP ${res.status}` : 'Cannot reach the server');
      return;
    }
    setValue(((await res.json()) as { availability: Availability }).availability);
  }

  return (
    <span className="availability-toggle" role="group" aria-label="Availability">
      {CHOICES.map((c) => (
        <button key={c} type="button" aria-pressed={value === c} disabled={value === null} onClick={() => void choose(c)}>
          {c}
        </button>
      ))}
      {error ? <span role="alert"> {error}</span> : null}
    </span>
  );
}
