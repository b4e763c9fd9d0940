// Starts the real Replyby server (`node bin/replyby.mjs start`) as a child process and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type ServerHandle = {
  url: string;
  port: number;
  child: ChildProcess;
  /** Server log lines at pino level warn (40) or above, and anything on stderr. */
  problems: string[];
  /** The last lines of stdout/stderr, for diagnostics. */
  tail: () => string;
  stop: () => Promise<number | null>;
};

/** A port that was free a moment ago (the OS picks it; the server binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** If the bench dies or is interrupted, do not leave servers behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

export async function startServer(opts: {
  env: Record<string, string>;
  /** Extra node flags for the child, e.g. --cpu-prof. */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
  /** A fixed port (a restart on the same address); else a free one. */
  port?: number;
}): Promise<ServerHandle> {
  installExitHook();
  const port = opts.port ?? await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Benches drive thousands of requests a minute through one API token: its rate limit must not be what they measure.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', REPLYBY_TOKEN_RATE_LIMIT: '100000', ...opts.env };
  // The child must see exactly one database setting.
  if (!opts.env.DATABASE_URL) delete env.DATABASE_URL;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), 'bin/replyby.mjs', 'start'], {
    cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const lines: string[] = [];
  const problems: string[] = [];
  const collect = (stream: 'stdout' | 'stderr') => {
    let partial = '';
    return (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line.trim()) continue;
        lines.push(line);
        if (lines.length > 200) lines.shift();
        const level = /"level":(\d+)/.exec(line);
        if (stream === 'stderr' || (level && Number(level[1]) >= 40)) {
          if (problems.length < 1000) problems.push(line);
        }
      }
    };
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? (signal ? -1 : null));
    });
  });
  let hasExited = false;
  void exited.then(() => { hasExited = true; });
  const tail = () => lines.slice(-30).join('\n');

  const stop = async (): Promise<number | null> => {
    if (hasExited) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 180_000);
  for (;;) {
    if (hasExited) throw new Error(`server exited before it was ready:\n${tail()}`);
    try {
      const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not ready after ${opts.readyTimeoutMs ?? 180_000} ms:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, child, problems, tail, stop };
}

/** Staff sign-in → session token for `Authorization: Bearer`. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { token?: string; error?: { message: string } };
  if (!res.ok || !body.token) throw new Error(`sign-in as ${email} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** A long-lived API token (`rbt_…`), created with a session token. */
export async function createApiToken(url: string, sessionToken: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/api-tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionToken}` },
    body: JSON.stringify({ name: 'intake-bench' }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token) throw new Error(`creating an API token failed: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}
