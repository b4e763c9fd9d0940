import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { planErlang } from '../../core/planning/index.ts';
import { planErlangCommand } from './plan-erlang.ts';

function run(args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const code = planErlangCommand(args, { stdout: out, stderr: err });
  return { code, stdout: Buffer.concat(chunks.out).toString('utf8'), stderr: Buffer.concat(chunks.err).toString('utf8') };
}

const SPEC_EXAMPLE = ['--calls', '100', '--interval', '30', '--aht', '180', '--answer', '20', '--sl', '0.8', '--shrinkage', '0.3'];

describe('replyby plan erlang', () => {
  it("prints the core's plan as JSON, unrounded, for the spec's example", () => {
    const r = run(SPEC_EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const printed = JSON.parse(r.stdout) as Record<string, number>;
    expect(printed).toEqual(planErlang({ calls: 100, interval_minutes: 30, aht_seconds: 180, answer_seconds: 20, target_sl: 0.8, shrinkage: 0.3 }));
    expect(printed).toMatchObject({ traffic_erlangs: 10, agents: 14, staff: 20 });
    expect(Object.keys(printed).sort()).toEqual(['agents', 'asa_seconds', 'occupancy', 'p_wait', 'service_level', 'staff', 'traffic_erlangs']);
  });

  it("takes the API's field names as flags too", () => {
    const r = run(['--calls', '100', '--interval-minutes', '30', '--aht-seconds', '180', '--answer-seconds', '20', '--target-sl', '0.8', '--shrinkage', '0.3']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ agents: 14, staff: 20 });
  });

  it('passes --max-occupancy through', () => {
    const r = run([...SPEC_EXAMPLE, '--max-occupancy', '0.6']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ agents: 17 });
  });

  it.each([
    [['--calls', '-5'], '--calls (calls): must not be negative'],
    [['--sl', '1'], '--sl (target_sl): must be below 1'],
    [['--shrinkage', '1.2'], '--shrinkage (shrinkage): must be at most 0.9'],
    [['--aht', 'three'], '--aht (aht_seconds): "three" is not a number'],
    [['--aht', ''], '--aht (aht_seconds): "" is not a number'],
    [['--interval', '0x10'], '--interval (interval_minutes): "0x10" is not a number'],
  ])('%j exits 2 naming the field', (patch, message) => {
    const args = [...SPEC_EXAMPLE];
    for (let i = 0; i < patch.length; i += 2) {
      const at = args.indexOf(patch[i] as string);
      args[at + 1] = patch[i + 1] as string;
    }
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('exits 2 on a missing value, an unknown flag or a stray word', () => {
    const missing = run(SPEC_EXAMPLE.filter((a, i) => a !== '--sl' && SPEC_EXAMPLE[i - 1] !== '--sl'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--sl (target_sl): required');
    expect(run([...SPEC_EXAMPLE, '--agents', '3']).code).toBe(2);
    expect(run([...SPEC_EXAMPLE, 'now']).code).toBe(2);
  });
});
