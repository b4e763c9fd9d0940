// `replyby plan erlang --calls 100 --interval 30 --aht 180 --answer 20 --sl 0.8 --shrinkage 0.3 [--max-occupancy 0.85]`
// Prints the Erlang C plan as JSON (numbers unrounded). Exit codes: 0 printed; 2 usage error or bad input,
// with the field named. No server or database: the same pure core as POST /api/v1/planning/erlang.

import { parseArgs } from 'node:util';
import { parseErlangInput, planErlang } from '../../core/planning/index.ts';

export const PLAN_ERLANG_USAGE =
  'usage: replyby plan erlang --calls N --interval MINUTES --aht SECONDS --answer SECONDS --sl SHARE [--shrinkage SHARE] [--max-occupancy SHARE]';

/** Flag → the API's field, so an error names both (`--sl (target_sl): must be below 1`). */
const FLAGS = {
  calls: 'calls',
  interval: 'interval_minutes',
  aht: 'aht_seconds',
  answer: 'answer_seconds',
  sl: 'target_sl',
  shrinkage: 'shrinkage',
  'max-occupancy': 'max_occupancy',
  // The API's field names work too, for scripts that build both.
  'interval-minutes': 'interval_minutes',
  'aht-seconds': 'aht_seconds',
  'answer-seconds': 'answer_seconds',
  'target-sl': 'target_sl',
} as const;
type Flag = keyof typeof FLAGS;
// The short flag names the field in errors (the first flag listed for it).
const FIELD_TO_FLAG = new Map<string, Flag>();
for (const [flag, field] of Object.entries(FLAGS) as [Flag, string][]) if (!FIELD_TO_FLAG.has(field)) FIELD_TO_FLAG.set(field, flag);

export type PlanErlangIo = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

function fail(io: PlanErlangIo, message: string): number {
  io.stderr.write(`${message}\n${PLAN_ERLANG_USAGE}\n`);
  return 2;
}

/** `--calls -5` is a negative number, not a flag: joined as `--calls=-5`, so the range check names it. */
function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && arg.slice(2) in FLAGS && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}

export function planErlangCommand(args: string[], io: PlanErlangIo): number {
  let values: Partial<Record<Flag, string>>;
  try {
    const options = Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }]));
    values = parseArgs({ args: joinNegativeValues(args), options, strict: true, allowPositionals: false }).values as Partial<Record<Flag, string>>;
  } catch (error) {
    return fail(io, error instanceof Error ? error.message : String(error));
  }
  const body: Record<string, number> = {};
  for (const [flag, field] of Object.entries(FLAGS) as [Flag, string][]) {
    const raw = values[flag];
    if (raw === undefined) continue;
    // Number('') is 0 and Number('0x10') is 16: only a plain decimal is a number here.
    const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(n)) return fail(io, `--${flag} (${field}): "${raw}" is not a number`);
    body[field] = n;
  }
  const parsed = parseErlangInput(body);
  if (!parsed.ok) {
    const flag = FIELD_TO_FLAG.get(parsed.path);
    const detail = parsed.message.startsWith(`${parsed.path}: `) ? parsed.message.slice(parsed.path.length + 2) : parsed.message;
    return fail(io, flag ? `--${flag} (${parsed.path}): ${detail}` : parsed.message);
  }
  io.stdout.write(`${JSON.stringify(planErlang(parsed.value), null, 2)}\n`);
  return 0;
}
