// Every UI string exists in every language: for each namespace file web/src/locales/<lang>/<ns>.json, the same
// keys as English, each plural key with every plural form its language needs (Intl.PluralRules), the same
// {{placeholders}}, and no empty strings.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../web/src/locales', import.meta.url));
const LANGUAGES = ['en', 'ru', 'zh', 'bg'];
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof obj === 'string') out.set(prefix, obj);
  else if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, `<not a string: ${JSON.stringify(obj)}>`);
  return out;
}

function load(lang: string, ns: string): Map<string, string> {
  return flatten(JSON.parse(readFileSync(join(DIR, lang, `${ns}.json`), 'utf8')));
}

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] ?? '').sort();
}

/** key → the forms present ("" for a non-plural key). */
function byBase(entries: Map<string, string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of entries.keys()) {
    const m = PLURAL.exec(key);
    const base = m ? key.slice(0, m.index) : key;
    if (!out.has(base)) out.set(base, new Set());
    out.get(base)?.add(m?.[1] ?? '');
  }
  return out;
}

const namespaces = [...new Set(LANGUAGES.flatMap((l) => readdirSync(join(DIR, l)).filter((f) => f.endsWith('.json'))))].map((f) =>
  f.replace(/\.json$/, ''),
);

describe('web UI translations', () => {
  it('has the four languages and at least the common namespace', () => {
    expect(readdirSync(DIR).sort()).toEqual([...LANGUAGES].sort());
    expect(namespaces).toContain('common');
  });

  for (const ns of namespaces) {
    for (const lang of LANGUAGES) {
      it(`${lang}/${ns}.json has every key of en/${ns}.json in every plural form ${lang} needs`, () => {
        const en = load('en', ns);
        const mine = load(lang, ns);
        const enBase = byBase(en);
        const myBase = byBase(mine);
        const problems: string[] = [];
        const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        for (const [base, enForms] of enBase) {
          const have = myBase.get(base);
          if (!have) {
            problems.push(`missing ${base}`);
            continue;
          }
          if (enForms.has('')) continue;
          for (const f of forms) if (!have.has(f)) problems.push(`missing ${base}_${f}`);
        }
        for (const base of myBase.keys()) if (!enBase.has(base)) problems.push(`not in English: ${base}`);
        for (const [key, text] of mine) {
          if (text.trim() === '' || text.startsWith('<not a string')) problems.push(`empty or not text: ${key}`);
          const m = PLURAL.exec(key);
          const enText = en.get(key) ?? (m ? en.get(`${key.slice(0, m.index)}_other`) : undefined);
          if (enText !== undefined && placeholders(enText).join() !== placeholders(text).join()) {
            problems.push(`placeholders differ in ${key}: ${placeholders(text).join()} vs ${placeholders(enText).join()}`);
          }
        }
        expect(problems).toEqual([]);
      });
    }
  }

  // A namespace split over files (`admin.json` + `admin.sections.json`) is merged key by key when its parts load:
  // a key in two pieces would be decided by which part came last.
  for (const lang of LANGUAGES) {
    it(`${lang}: the pieces of one namespace share no key`, () => {
      const files = readdirSync(join(DIR, lang)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
      const owner = new Map<string, string>();
      const clashes: string[] = [];
      for (const file of files) {
        const ns = file.split('.')[0] ?? file;
        for (const key of load(lang, file).keys()) {
          const id = `${ns}:${key}`;
          const first = owner.get(id);
          if (first) clashes.push(`${id} in ${first}.json and ${file}.json`);
          else owner.set(id, file);
        }
      }
      expect(files.some((f) => f.includes('.'))).toBe(true);
      expect(clashes).toEqual([]);
    });
  }
});
