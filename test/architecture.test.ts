import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md §4: core is pure; app imports core and store; http, jobs, channels and cli import app.
const SRC = path.resolve(import.meta.dirname, '../src');
const LAYERS = ['core', 'app', 'store', 'http', 'jobs', 'channels', 'cli'] as const;
type Layer = (typeof LAYERS)[number] | 'config';
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: ['core'],
  store: ['store', 'core'],
  app: ['app', 'core', 'store'],
  http: ['http', 'app', 'core', 'store'],
  jobs: ['jobs', 'app', 'core', 'store'],
  channels: ['channels', 'app', 'core', 'store'],
  cli: ['cli', 'app', 'core', 'store', 'http', 'jobs', 'channels', 'config'],
  config: ['config'],
};
// Packages that do I/O or read the environment; core must stay free of them.
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads|os|process)$|^(pg|@electric-sql\/pglite|fastify|@fastify\/.*|nodemailer|smtp-server|imapflow|pino)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : /\.tsx?$/.test(name) && !/\.test\.ts$/.test(name) ? [full] : [];
  });
}

function layerOf(file: string): Layer | null {
  const rel = path.relative(SRC, file);
  if (rel === 'config.ts') return 'config';
  const top = rel.split(path.sep)[0];
  return (LAYERS as readonly string[]).includes(top ?? '') ? (top as Layer) : null;
}

function imports(source: string): string[] {
  return [...source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('architecture', () => {
  const all = files(SRC);

  it('finds the source tree', () => {
    expect(all.length).toBeGreaterThan(20);
  });

  it('every import respects the layer rule', () => {
    const violations: string[] = [];
    for (const file of all) {
      const from = layerOf(file);
      if (!from) continue;
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = layerOf(path.resolve(path.dirname(file), spec));
        if (target && !ALLOWED[from].includes(target)) violations.push(`${path.relative(SRC, file)} (${from}) imports ${spec} (${target})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('core does no I/O, reads no environment and never asks the clock', () => {
    const violations: string[] = [];
    for (const file of all.filter((f) => layerOf(f) === 'core')) {
      const source = readFileSync(file, 'utf8');
      const rel = path.relative(SRC, file);
      for (const spec of imports(source)) if (IO_MODULES.test(spec)) violations.push(`${rel} imports ${spec}`);
      if (/process\.env/.test(source)) violations.push(`${rel} reads process.env`);
      if (/Date\.now\(\)|new Date\(\)|DateTime\.now\(\)|DateTime\.local\(\)/.test(source)) violations.push(`${rel} reads the clock`);
    }
    expect(violations).toEqual([]);
  });

  it('only config.ts reads process.env', () => {
    const readers = all.filter((f) => /process\.env/.test(readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f));
    expect(readers).toEqual(['config.ts']);
  });

  it('no module imports itself back at run time, in the server or the web app (type-only and lazy imports aside)', () => {
    const cycles = [...importCycles(all), ...importCycles(files(path.resolve(SRC, '../web/src')))];
    expect(cycles).toEqual([]);
  });
});

/**
 * Import cycles among `sources`, each as its files (relative to the repo): the strongly connected components of
 * the graph of static, value imports (Tarjan). A cycle makes one module see another half-initialised at start.
 */
function importCycles(sources: string[]): string[][] {
  const known = new Set(sources);
  const resolveSpec = (from: string, spec: string): string | null => {
    const base = path.resolve(path.dirname(from), spec);
    for (const candidate of [base, `${base}.ts`, `${base}.tsx`]) if (known.has(candidate)) return candidate;
    return null;
  };
  const edges = new Map<string, string[]>();
  for (const file of sources) {
    const source = readFileSync(file, 'utf8');
    const specs = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]/g)]
      .filter((m) => !m[1])
      .map((m) => m[2] ?? '');
    edges.set(file, specs.map((spec) => resolveSpec(file, spec)).filter((t): t is string => t !== null));
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(path.relative(path.resolve(SRC, '..'), w));
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const file of sources) if (!index.has(file)) visit(file);
  return out;
}

