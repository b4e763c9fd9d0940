// The web app's words as one module per language and part (src/i18n/word-parts.ts), built from
// src/locales/<lang>/<file>.json at build time. Before, i18n.ts globbed every file: the entry chunk carried a
// loader and a preload list per file and language (100 of them, 1.1 KB gzipped on every first screen); now it
// carries one per language and part, and each part arrives as one chunk with all its files.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';
import { wordFile } from './src/i18n/word-parts.ts';

const INDEX = 'virtual:words';
const PART = /^virtual:words\/([a-z]{2})\/([\w-]+)$/;

type WordFile = { abs: string; lang: string; ns: string; part: string };

function wordFiles(dir: string): WordFile[] {
  return readdirSync(dir).flatMap((lang) =>
    readdirSync(path.join(dir, lang)).flatMap((name) => {
      const abs = path.join(dir, lang, name);
      const f = wordFile(abs);
      return f ? [{ abs, lang: f.lang, ns: f.ns, part: f.part }] : [];
    }),
  ).sort((a, b) => a.abs.localeCompare(b.abs));
}

/** `virtual:words` (namespaces, a loader per language/part) and `virtual:words/<lang>/<part>` ([namespace, words][]). */
export function wordsPlugin(localesDir: string): Plugin {
  return {
    name: 'replyby-words',
    resolveId(id) {
      return id === INDEX || PART.test(id) ? `\0${id}` : null;
    },
    load(id) {
      if (!id.startsWith('\0virtual:words')) return null;
      const files = wordFiles(localesDir);
      for (const f of files) this.addWatchFile(f.abs);
      if (id === `\0${INDEX}`) {
        const namespaces = [...new Set(files.map((f) => f.ns))].sort();
        const ids = [...new Set(files.map((f) => `${f.lang}/${f.part}`))].sort();
        const loaders = ids.map((k) => `  ${JSON.stringify(k)}: () => import(${JSON.stringify(`${INDEX}/${k}`)}),`);
        return `export const namespaces = ${JSON.stringify(namespaces)};\nexport const parts = {\n${loaders.join('\n')}\n};\n`;
      }
      const m = PART.exec(id.slice(1));
      const mine = files.filter((f) => f.lang === m?.[1] && f.part === m?.[2]);
      // JSON.parse first: a broken file fails the build naming it, not the page at run time.
      const entries = mine.map((f) => {
        try {
          return `[${JSON.stringify(f.ns)}, ${JSON.stringify(JSON.parse(readFileSync(f.abs, 'utf8')))}]`;
        } catch (err) {
          throw new Error(`${f.abs}: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
      return `export default [\n${entries.join(',\n')}\n];\n`;
    },
  };
}

/** The chunk name of a part's module: `locale-<lang>` for main, `locale-<lang>-<part>` for the others. */
export function localeChunk(id: string): string | null {
  const m = /virtual:words\/([a-z]{2})\/([\w-]+)$/.exec(id);
  if (!m) return null;
  return m[2] === 'main' ? `locale-${m[1]}` : `locale-${m[1]}-${m[2]}`;
}
