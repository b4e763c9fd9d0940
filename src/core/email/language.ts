import { franc } from 'franc';

export const CUSTOMER_LANGUAGES = ['en', 'ru', 'zh', 'bg'] as const;
export type CustomerLanguage = (typeof CUSTOMER_LANGUAGES)[number];

const FROM_ISO3: Record<string, CustomerLanguage> = { eng: 'en', rus: 'ru', cmn: 'zh', bul: 'bg' };

export const isCustomerLanguage = (v: string): v is CustomerLanguage => (CUSTOMER_LANGUAGES as readonly string[]).includes(v);

/** "ru-RU" → "ru"; anything we have no templates for → null. */
export function customerLanguage(tag: string | null | undefined): CustomerLanguage | null {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return isCustomerLanguage(base) ? base : null;
}

/**
 * The language of a customer's text among the four we answer in (franc, trigram statistics); null when
 * the text is too short or in none of them, so the caller falls back to the mailbox's default.
 */
export function detectLanguage(text: string): CustomerLanguage | null {
  const sample = text.slice(0, 2000);
  // Trigrams confuse Russian and Bulgarian on short texts; their alphabets settle it: ы, э and ё are
  // Russian only, while ъ is frequent in Bulgarian (съм, във, към) and rare in Russian.
  const russianOnly = sample.match(/[ыэё]/giu)?.length ?? 0;
  const bulgarianHard = sample.match(/ъ/giu)?.length ?? 0;
  if (russianOnly > bulgarianHard) return 'ru';
  if (bulgarianHard > russianOnly) return 'bg';
  const code = franc(sample, { only: Object.keys(FROM_ISO3), minLength: 12 });
  return FROM_ISO3[code] ?? null;
}
