import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Real `replyby` processes for the tests that need several of them on one database (the SLA monitor on
// three workers, the outbox killed mid-batch, web and worker roles side by side): spawned from
// bin/replyby.mjs as an operator would start them, configured only through the environment.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type ReplybyProcess = {
  child: ChildProcess;
  /** Resolves once the process says it runs (its start-up takes seconds on a loaded host); rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<void>;
  /** Everything it printed to stdout so far. */
  output: () => string;
  /** SIGKILL unless it has already exited. */
  kill: () => void;
};

/** What each command prints when it is ready: the worker's line, or the web role's banner (after it listens). */
const READY: Record<'start' | 'worker', string> = { worker: 'worker running', start: 'Replyby is running at' };

/**
 * `replyby <command>` with `env` over this process's environment. DATABASE_URL is passed only when `env`
 * names it (without it the process opens PGlite in REPLYBY_DATA_DIR). stderr goes to the test's output.
 */
export function spawnReplyby(command: 'start' | 'worker', env: Record<string, string>): ReplybyProcess {
  const full: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (env.DATABASE_URL === undefined) delete full.DATABASE_URL;
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/replyby.mjs'), command], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(READY[command])) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`replyby ${command} exited (${code ?? signal}) before it was ready`)));
  });
  // A process killed before anyone awaited its start is not an unhandled rejection; awaiting `ready` still throws.
  ready.catch(() => undefined);
  return {
    child, ready, exited, output: () => out,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** TEST_DATABASE_URL with the search_path set to `schema`: how a spawned process reaches a test file's schema. */
export function schemaDatabaseUrl(schema: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test');
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/**
 * A loopback port for a child process's listener (which cannot report a random one back): free when
 * asked, and below Linux's ephemeral range (32768–60999), so the outgoing connections opened while the
 * child starts up (seconds, on a loaded host) cannot take it meanwhile, as they could a port the kernel chose.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = net.createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}
