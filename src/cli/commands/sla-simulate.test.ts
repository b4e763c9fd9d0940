import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { slaSimulateCommand } from './sla-simulate.ts';

const INPUT = {
  metrics: [{ name: 'first_response', target_minutes: 60 }],
  events: [{ at: '2025-03-10T10:00:00Z', type: 'created' }],
  at: '2025-03-10T10:30:00Z',
};

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function cli(args: string[], options: { stdin?: string; files?: Record<string, string> } = {}) {
  const stdout = collect();
  const stderr = collect();
  const files = options.files ?? {};
  const code = await slaSimulateCommand(args, {
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    stdout: stdout.stream,
    stderr: stderr.stream,
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return content;
    },
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const EXPECTED = {
  at: '2025-03-10T10:30:00Z',
  next_due_at: '2025-03-10T11:00:00Z',
  metrics: {
    first_response: {
      status: 'running',
      started_at: '2025-03-10T10:00:00Z',
      completed_at: null,
      due_at: '2025-03-10T11:00:00Z',
      breached: false,
      breached_at: null,
      elapsed_business_minutes: 30,
      remaining_business_minutes: 30,
      cycles: [{ started_at: '2025-03-10T10:00:00Z', completed_at: null, elapsed_business_minutes: 30, breached: false }],
    },
  },
};

describe('replyby sla simulate', () => {
  it('reads a file and prints the result as 2-space JSON with a newline, exit 0', async () => {
    const r = await cli(['ticket.json'], { files: { 'ticket.json': JSON.stringify(INPUT) } });
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify(EXPECTED, null, 2)}\n`, stderr: '' });
  });

  it('reads standard input for -', async () => {
    const r = await cli(['-'], { stdin: JSON.stringify(INPUT) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  });

  it('invalid input: names the field path on stderr, exit 2, nothing on stdout', async () => {
    const bad = { ...INPUT, events: [...INPUT.events, { at: '2025-03-10T11:00:00Z', type: 'agent_message' }, { at: '2025-03-10T12:00:00Z', type: 'status', status: 'open' }, { at: 'tomorrow', type: 'agent_message' }] };
    const r = await cli(['-'], { stdin: JSON.stringify(bad) });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'events[3].at: not an ISO-8601 instant\n' });
  });

  it('invalid JSON: exit 2', async () => {
    const r = await cli(['-'], { stdin: '{"metrics": [' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^input: not valid JSON/);
  });

  it('missing file: exit 2 with the file name', async () => {
    const r = await cli(['nope.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read nope.json');
  });

  it('no argument or too many: usage, exit 2', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['a', 'b'])).stderr).toContain('usage: replyby sla simulate FILE');
  });

  it('accepts a byte-order mark', async () => {
    const r = await cli(['-'], { stdin: `\uFEFF${JSON.stringify(INPUT)}` });
    expect(r.code).toBe(0);
  });
});
