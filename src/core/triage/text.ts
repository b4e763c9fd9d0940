// Language-aware text helpers shared by triggers, the classifier, knowledge-base search and repeat detection.

export const TRIAGE_LANGUAGES = ['en', 'ru', 'zh', 'bg'] as const;
export type TriageLanguage = (typeof TRIAGE_LANGUAGES)[number];

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const CJK_G = /[\u3400-\u9fff\uf900-\ufaff]/gu;
const CYRILLIC_G = /[\u0400-\u04ff]/gu;
// Letters Russian has and Bulgarian does not (ы, э, ё); Bulgarian uses ъ as a vowel far more often than Russian.
const RU_ONLY_G = /[ыэё]/gu;

/**
 * A script heuristic, not a language model: Chinese characters → zh; Cyrillic → ru or bg by the
 * letters only one of them uses and by how often ъ appears; anything else → en. Enough for routing
 * rules and for picking the search configuration; the e-mail channel may know the language better.
 */
export function detectLanguage(text: string): TriageLanguage {
  const cjk = text.match(CJK_G)?.length ?? 0;
  const cyr = text.match(CYRILLIC_G)?.length ?? 0;
  const latin = text.match(/[a-z]/giu)?.length ?? 0;
  if (cjk > 0 && cjk * 3 >= latin) return 'zh';
  if (cyr === 0 || cyr < latin) return 'en';
  const lower = text.toLowerCase();
  const ruOnly = lower.match(RU_ONLY_G)?.length ?? 0;
  const hardSign = lower.match(/ъ/gu)?.length ?? 0;
  // Bulgarian articles and forms: "-ът", "-та", "е", "не мога", "моля"; Russian has ы/э in almost every sentence.
  const bgWords = lower.match(/(?:^|[^\p{L}])(?:на|за|ли|ще|са|моля|мога|съм|вашия|акаунта|защо|кога|какво|може)(?=$|[^\p{L}])/gu)?.length ?? 0;
  if (ruOnly === 0 && (hardSign > 0 || bgWords > 0)) return 'bg';
  return 'ru';
}

/** Lower-cased words (letters and digits); Chinese runs stay as one token each, see cjkBigrams. */
export function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Chinese has no spaces: overlapping character bigrams are the standard fallback when no segmenter is available. */
export function cjkBigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i += 1) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

// Bulgarian has no Snowball stemmer in PostgreSQL: a light stemmer folds the definite article and the
// common plural and vowel endings, so "акаунтът", "акаунта", "акаунти", "акаунтите" all become "акаунт"
// and "паролата", "пароли" become "парол". The stem keeps at least three letters.
const BG_VOWELS = new Set(['а', 'я', 'о', 'е', 'и', 'у', 'ю', 'ъ']);
export function bulgarianStem(word: string): string {
  let w = word;
  const cut = (n: number) => {
    if ([...w].length - n >= 3) w = w.slice(0, w.length - n);
  };
  if (w.endsWith('ът') || w.endsWith('ят')) cut(2);
  else if ((w.endsWith('та') || w.endsWith('то') || w.endsWith('те')) && BG_VOWELS.has(w.at(-3) ?? '')) cut(2);
  if (w.endsWith('ове') || w.endsWith('еве')) cut(3);
  else if (BG_VOWELS.has(w.at(-1) ?? '')) cut(1);
  return w;
}

/** The PostgreSQL text-search configuration per language: built-in Snowball stemmers where PostgreSQL has one. */
export function searchConfig(language: string): 'english' | 'russian' | 'simple' {
  if (language === 'en') return 'english';
  if (language === 'ru') return 'russian';
  return 'simple';
}

/** Terms to index or query: Chinese → bigrams, Bulgarian → light stems, others → words (PostgreSQL stems en/ru). */
export function searchTerms(language: string, text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (CJK.test(w)) {
      // A run may mix Chinese with Latin letters or digits ("api接口"): split it at the script boundary.
      for (const part of w.match(/[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+/gu) ?? []) {
        if (CJK.test(part)) out.push(...cjkBigrams(part));
        else out.push(part);
      }
    } else out.push(language === 'bg' ? bulgarianStem(w) : w);
  }
  return out;
}

/** The text handed to to_tsvector for an article: normalised terms joined by spaces. */
export function searchDocument(language: string, text: string): string {
  return searchTerms(language, text).join(' ');
}

/**
 * A to_tsquery string for as-you-type search: every term (or, for suggestions, any term) must match, the
 * last one as a prefix (the customer is still typing it). Terms contain only letters and digits, so the query cannot be malformed.
 */
export function searchQuery(language: string, text: string, mode: 'all' | 'any' = 'all', maxTerms = 12): string | null {
  const terms = [...new Set(searchTerms(language, text))].slice(0, maxTerms);
  if (terms.length === 0) return null;
  return terms.map((t, i) => (i === terms.length - 1 && !CJK.test(t) ? `${t}:*` : t)).join(mode === 'all' ? ' & ' : ' | ');
}
