/// <reference types="vite/client" />
import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setDisplayLocale } from '../lib/format.ts';

/** The UI languages. A key missing in any of them fails test/web-i18n.test.ts. */
export const LANGUAGES = ['en', 'ru', 'zh', 'bg'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name, shown in the switch whatever the current language is. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ru: 'Русский', zh: '中文（简体）', bg: 'Български' };

/** Intl locales for formatting (plural rules and dates follow these). */
const INTL_LOCALE: Record<Language, string> = { en: 'en-GB', ru: 'ru-RU', zh: 'zh-CN', bg: 'bg-BG' };

const STORAGE_KEY = 'rb_lang';

// Every web/src/locales/<lang>/<namespace>.json is picked up: a screen adds its namespace by adding files.
const modules = import.meta.glob<{ default: Record<string, unknown> }>('../locales/*/*.json', { eager: true });

function buildResources(): Resource {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [path, mod] of Object.entries(modules)) {
    const m = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m?.[1] || !m[2]) continue;
    (resources[m[1]] ??= {})[m[2]] = mod.default;
  }
  return resources as Resource;
}

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

const namespaces = [...new Set(Object.keys(modules).map((p) => /([^/]+)\.json$/.exec(p)?.[1] ?? 'common'))];

const first = initialLanguage();
setDisplayLocale(intlLocale(first));

void i18next.use(initReactI18next).init({
  resources: buildResources(),
  lng: first,
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  ns: namespaces,
  defaultNS: 'common',
  interpolation: { escapeValue: false },
});

i18next.on('languageChanged', (lng) => {
  setDisplayLocale(intlLocale(lng));
  document.documentElement.lang = lng;
});
document.documentElement.lang = first;

/** Switches the UI language (and remembers it on this device). */
export async function changeLanguage(lang: string): Promise<void> {
  const l = toLanguage(lang) ?? 'en';
  try {
    window.localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // not remembered on this device; the profile still carries it
  }
  if (i18next.language !== l) await i18next.changeLanguage(l);
}

export { i18next };
