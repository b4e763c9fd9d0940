// `replyby sla simulate FILE|-`: evaluate an SLA simulation input and print the result JSON.
// Exit codes: 0 result printed; 2 usage error, unreadable file, invalid JSON or invalid input.
// No server or database: the same pure core as the HTTP endpoint and live tickets.

import { runSimulation } from '../../core/sla/index.ts';

export type SlaSimulateIo = {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  readFile: (path: string) => Promise<string>;
};

export const SLA_SIMULATE_USAGE = 'usage: replyby sla simulate FILE   (FILE = - reads standard input)';

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Read = { ok: true; text: string } | { ok: false; message: string };

async function readInput(source: string, io: SlaSimulateIo): Promise<Read> {
  try {
    return { ok: true, text: source === '-' ? await readStream(io.stdin) : await io.readFile(source) };
  } catch (error) {
    return { ok: false, message: `cannot read ${source === '-' ? 'standard input' : source}: ${errorText(error)}` };
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    // A UTF-8 byte-order mark (common from Windows editors) is not part of the JSON.
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (error) {
    return { ok: false, message: `input: not valid JSON (${errorText(error)})` };
  }
}

export async function slaSimulateCommand(args: string[], io: SlaSimulateIo): Promise<number> {
  const source = args[0];
  if (source === undefined || args.length > 1) {
    io.stderr.write(`${SLA_SIMULATE_USAGE}\n`);
    return 2;
  }
  const read = await readInput(source, io);
  if (!read.ok) {
    io.stderr.write(`${read.message}\n`);
    return 2;
  }
  const json = parseJson(read.text);
  if (!json.ok) {
    io.stderr.write(`${json.message}\n`);
    return 2;
  }
  const outcome = runSimulation(json.value);
  if (!outcome.ok) {
    // The message starts with the field path, e.g. "events[3].at: not an ISO-8601 instant".
    io.stderr.write(`${outcome.message}\n`);
    return 2;
  }
  io.stdout.write(`${JSON.stringify(outcome.result, null, 2)}\n`);
  return 0;
}
