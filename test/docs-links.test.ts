import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';

// Review 18: README pointed at a file outside the repository, broken in every clone. Every relative link in
// the repository's Markdown must resolve to a file inside it.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function markdownFiles(): string[] {
  const top = ['README.md', 'ARCHITECTURE.md', 'BENCHMARKS.md'].filter((f) => existsSync(path.join(ROOT, f)));
  const docs = existsSync(path.join(ROOT, 'docs')) ? readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [];
  return [...top, ...docs, 'src/core/sla/README.md'];
}

/** `[text](target)` links whose target is not a URL or an in-page anchor; fenced code is skipped. */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const out: string[] = [];
  for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    out.push(target);
  }
  return out;
}

describe('Markdown links', () => {
  it('finds relative links and skips URLs, anchors and code', () => {
    expect(relativeLinks('[a](docs/x.md) [b](https://e.org) [c](#top) `[d](no.md)` [e](../y.md#part "t")')).toEqual(['docs/x.md', '../y.md#part']);
  });

  for (const file of markdownFiles()) {
    it(`${file}: every relative link resolves to a file in the repository`, () => {
      const dir = path.dirname(path.join(ROOT, file));
      const broken = relativeLinks(readFileSync(path.join(ROOT, file), 'utf8')).filter((target) => {
        const resolved = path.resolve(dir, decodeURIComponent(target.split('#')[0] ?? ''));
        return !resolved.startsWith(ROOT + path.sep) || !existsSync(resolved);
      });
      expect(broken).toEqual([]);
    });
  }
});

describe('replyby --help', () => {
  async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const write = (sink: string[]) => ((chunk: string | Uint8Array) => { sink.push(String(chunk)); return true; }) as typeof process.stdout.write;
    const [stdoutWrite, stderrWrite] = [process.stdout.write, process.stderr.write];
    process.stdout.write = write(out);
    process.stderr.write = write(err);
    try {
      const code = await main(args);
      return { code, stdout: out.join(''), stderr: err.join('') };
    } finally {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
    }
  }

  it('prints the usage on stdout and exits 0, with no "unknown command"', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const res = await run([flag]);
      expect(res.code, flag).toBe(0);
      expect(res.stdout, flag).toMatch(/^Usage: replyby <command>/);
      expect(res.stdout + res.stderr, flag).not.toMatch(/unknown command/);
    }
    const wrong = await run(['frobnicate']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
