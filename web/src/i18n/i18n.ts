/// <reference types="vite/client" />
import { use } from 'react';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setDisplayLocale } from '../lib/format.ts';
import { namespaces, parts } from 'virtual:words';
import type { WordsPart } from './word-parts.ts';

export type { WordsPart };

/** The UI languages. A key missing in any of them fails test/web-i18n.test.ts. */
export const LANGUAGES = ['en', 'ru', 'zh', 'bg'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name, shown in the switch whatever the current language is. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ru: 'Русский', zh: '中文（简体）', bg: 'Български' };

/** Intl locales for formatting (plural rules and dates follow these). */
const INTL_LOCALE: Record<Language, string> = { en: 'en-GB', ru: 'ru-RU', zh: 'zh-CN', bg: 'bg-BG' };

const STORAGE_KEY = 'rb_lang';

// Every web/src/locales/<lang>/<namespace>[.<piece>].json is picked up (web/words-plugin.ts): a screen adds its
// namespace by adding files. They are fetched on demand, one chunk per language and part (./word-parts.ts says which
// file is in which part): a page loads only its own language's `main` words at start, and the other parts with the
// screens that use them.

export function toLanguage(tag: string | null | undefined): Language | null {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Language) : null;
}

function initialLanguage(): Language {
  try {
    const stored = toLanguage(window.localStorage.getItem(STORAGE_KEY));
    if (stored) return stored;
  } catch {
    // storage blocked: fall through to the browser's language
  }
  for (const l of navigator.languages ?? [navigator.language]) {
    const lang = toLanguage(l);
    if (lang) return lang;
  }
  return 'en';
}

export function intlLocale(lang: string): string {
  return INTL_LOCALE[toLanguage(lang) ?? 'en'];
}


const loaded = new Set<string>();
const loading = new Map<string, Promise<void>>();

/** Fetches one part of a language's words once (a failed fetch is retried on the next call). */
export function loadWords(lang: Language, part: WordsPart = 'main'): Promise<void> {
  const id = `${lang}/${part}`;
  const pending = loading.get(id);
  if (pending) return pending;
  const load = parts[id];
  const p = (load ? load() : Promise.resolve({ default: [] })).then(
    (m) => {
      for (const [ns, words] of m.default) i18next.addResourceBundle(lang, ns, words, true, true);
      loaded.add(id);
    },
    (err: unknown) => {
      loading.delete(id);
      throw err;
    },
  );
  loading.set(id, p);
  return p;
}

/** The parts besides `main` this page has asked for: a language switch fetches them in the new language too. */
const wantedParts = new Set<Exclude<WordsPart, 'main'>>();

/** A part of the page's language besides `main` (and, after a switch, of the new one: changeLanguage keeps it). */
export function loadPart(part: Exclude<WordsPart, 'main'>): Promise<void> {
  wantedParts.add(part);
  return loadWords(toLanguage(i18next.language) ?? 'en', part);
}
/** A screen's code with the parts of words it shows, fetched side by side; the module once both are in. */
export async function withWords<M>(load: Promise<M>, ...parts: Exclude<WordsPart, 'main'>[]): Promise<M> {
  return (await Promise.all([load, ...parts.map(loadPart)]))[0];
}

/**
 * For words not fetched at start — another language's (a promise in the customer's language, a closure
 * link's), or the admin part — suspends the component until they are in.
 */
export function useWords(lang: string | null | undefined, part: WordsPart = 'main'): void {
  const l = toLanguage(lang) ?? 'en';
  if (part !== 'main') wantedParts.add(part);
  if (!loaded.has(`${l}/${part}`)) use(loadWords(l, part));
}

const first = initialLanguage();
setDisplayLocale(intlLocale(first));

void i18next.use(initReactI18next).init({
  resources: {},
  partialBundledLanguages: true,
  initAsync: false,
  lng: first,
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  ns: namespaces,
  defaultNS: 'common',
  interpolation: { escapeValue: false },
});

/** Resolves once the first language's words are in; main.tsx renders after it. */
export const i18nReady: Promise<void> = loadWords(first);

i18next.on('languageChanged', (lng) => {
  setDisplayLocale(intlLocale(lng));
  document.documentElement.lang = lng;
});
document.documentElement.lang = first;

let wanted: Language = first;

/** Switches the UI language (and remembers it on this device). */
export async function changeLanguage(lang: string): Promise<void> {
  const l = toLanguage(lang) ?? 'en';
  try {
    window.localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // not remembered on this device; the profile still carries it
  }
  // The last choice wins even when an earlier language's words arrive after it.
  wanted = l;
  await Promise.all([loadWords(l), ...[...wantedParts].map((p) => loadWords(l, p))]);
  if (wanted === l && i18next.language !== l) await i18next.changeLanguage(l);
}

export { i18next };
