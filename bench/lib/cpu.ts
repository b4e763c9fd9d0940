// CPU accounting from /proc (Linux): where the machine's cores went during a measured window.
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every mainstream Linux build

/** user+system CPU seconds a process has used so far, or null off Linux / after it exited. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine (all cores), or null off Linux. */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = v;
    return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

const AUXILIARY = /^postgres: (?:\S+: )?(?:checkpointer|background writer|walwriter|autovacuum launcher|logical replication launcher|archiver|stats collector)/;

/**
 * CPU seconds of a local PostgreSQL server's processes that work for `database`: its backends and
 * autovacuum workers (the process title names the database) plus the shared auxiliary processes
 * (WAL writer, checkpointer, …), per pid. Other databases' backends (other users of the server) are left out.
 */
export function postgresCpuByPid(database: string): Map<number, number> | null {
  const out = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const mine = title.includes(` ${database} `) || AUXILIARY.test(title) || !title.startsWith('postgres:'); // last: the postmaster
      if (!mine) continue;
      const cpu = processCpuSeconds(Number(entry));
      if (cpu !== null) out.set(Number(entry), cpu);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

export type CpuSnapshot = { at: number; server: number | null; bench: number; machine: number | null; postgres: Map<number, number> | null };

export function cpuSnapshot(serverPid: number | undefined, postgresDatabase?: string): CpuSnapshot {
  const self = process.cpuUsage();
  return {
    at: performance.now(), server: processCpuSeconds(serverPid), bench: (self.user + self.system) / 1e6, machine: machineBusySeconds(),
    postgres: postgresDatabase ? postgresCpuByPid(postgresDatabase) : null,
  };
}

export type CpuUse = { seconds: number; server: number | null; bench: number; postgres: number | null; other: number | null; machine: number | null };

/** Cores busy on average between two snapshots: the server process, this bench process, PostgreSQL (when asked), everything else. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const seconds = (b.at - a.at) / 1000;
  const server = a.server !== null && b.server !== null ? (b.server - a.server) / seconds : null;
  const bench = (b.bench - a.bench) / seconds;
  const machine = a.machine !== null && b.machine !== null ? (b.machine - a.machine) / seconds : null;
  let postgres: number | null = null;
  if (a.postgres && b.postgres) {
    let sum = 0;
    for (const [pid, after] of b.postgres) sum += after - (a.postgres.get(pid) ?? 0); // a backend born meanwhile counts whole
    postgres = sum / seconds;
  }
  const other = machine !== null && server !== null ? Math.max(0, machine - server - bench - (postgres ?? 0)) : null;
  return { seconds, server, bench, postgres, other, machine };
}
