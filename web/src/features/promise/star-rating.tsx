import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The closure survey's 1–5 rating (review 2026-12-07 item 28): five stars over native radio inputs, so the
 * browser gives the keyboard behaviour (Tab into the group, arrows choose) and screen readers a radio group
 * with a name for each star ("4 out of 5: Good"). Each input covers its star at zero opacity, so a click or
 * tap lands on the input itself; the stars fill up to the choice (or the pointer), and the choice is also
 * shown in words. Optional: "clear" takes it back.
 */
export function StarRating({ value, onChange, language, legend, hint }: {
  value: number | null; onChange: (n: number | null) => void; language: string; legend: string; hint: string;
}) {
  const { i18n } = useTranslation('merge');
  const r = i18n.getFixedT(language, 'merge', 'rating');
  const [hover, setHover] = useState<number | null>(null);
  const shown = hover ?? value ?? 0;
  return (
    <fieldset className="star-rating" data-testid="closure-rating">
      <legend>{legend}</legend>
      <div className="star-row">
        <div className="stars" onMouseLeave={() => setHover(null)}>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className={`star${n <= shown ? ' on' : ''}`} onMouseEnter={() => setHover(n)}>
              <input type="radio" name="rating" value={n} checked={value === n} onChange={() => onChange(n)} data-testid={`rating-${n}`} />
              <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="32" height="32">
                <path d="M12 2.6l2.87 5.82 6.43.93-4.65 4.53 1.1 6.4L12 17.26l-5.75 3.02 1.1-6.4L2.7 9.35l6.43-.93z" />
              </svg>
              <span className="sr-only">{r('star', { count: n })}: {r(`label_${n}`)}</span>
            </label>
          ))}
        </div>
        <span className="star-value" aria-hidden="true" data-testid="rating-value">{value ? r(`label_${value}`) : r('none')}</span>
        {value ? (
          <button type="button" className="link-button small" onClick={() => onChange(null)} data-testid="rating-clear">{r('clear')}</button>
        ) : null}
      </div>
      <p className="muted small">{hint}</p>
    </fieldset>
  );
}
