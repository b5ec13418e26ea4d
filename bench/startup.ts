import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runIfMain, type SuiteOptions, type SuiteResult, type TaskStat } from './suite.js';

/**
 * Whole-process start-up (issue 10): `policysim --help`, `policysim run` (the built-in baseline,
 * table) and `policysim validate scenarios/baseline.yaml`, each a new process of the installed
 * executable (package.json's bin: the bundle, scripts/bundle-cli.mjs), rounds alternating between
 * the commands. Also timed, for reference: bare `node -e 0` (the floor no CLI goes below) and the
 * same commands through the unbundled modules (`node dist/src/cli/main.js`), which shows what the
 * bundle saves. Wall-clock medians are what the targets are about; CPU (user + system of the child,
 * from /proc on Linux) is shown beside them, as it is less skewed by other jobs on the machine.
 * BENCH_STARTUP_ROUNDS (default 11).
 */
export const STARTUP_TARGETS_MS = { help: 150, run: 200, validate: 250 } as const;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = resolve(
  ROOT,
  (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { bin: { policysim: string } }).bin.policysim,
);
const MODULES = resolve(ROOT, 'dist/src/cli/main.js');

interface Probe {
  readonly key: string;
  readonly label: string;
  readonly args: readonly string[];
  readonly targetMs?: number;
}

const COMMANDS: readonly { key: keyof typeof STARTUP_TARGETS_MS; args: readonly string[] }[] = [
  { key: 'help', args: ['--help'] },
  { key: 'run', args: ['run'] },
  { key: 'validate', args: ['validate', 'scenarios/baseline.yaml'] },
];

const PROBES: readonly Probe[] = [
  { key: 'node', label: 'node -e 0 (floor)', args: ['-e', '0'] },
  ...COMMANDS.map((c) => ({
    key: c.key,
    label: `policysim ${c.args.join(' ')}`,
    args: [BIN, ...c.args],
    targetMs: STARTUP_TARGETS_MS[c.key],
  })),
  ...COMMANDS.map((c) => ({
    key: `${c.key}_modules`,
    label: `  unbundled: node dist/src/cli/main.js ${c.args.join(' ')}`,
    args: [MODULES, ...c.args],
  })),
];

/** CPU seconds of this process's waited-for children (Linux: /proc/self/stat cutime + cstime), or NaN. */
function childrenCpuS(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

export async function run(_partial: Partial<SuiteOptions> = {}): Promise<SuiteResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' first`);
  const rounds = Math.max(1, Number(process.env.BENCH_STARTUP_ROUNDS ?? 11));
  const loadStart = loadavg()[0]!;
  const wall = PROBES.map(() => [] as number[]);
  const cpu = PROBES.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    PROBES.forEach((p, i) => {
      const c0 = childrenCpuS();
      const t0 = process.hrtime.bigint();
      const res = spawnSync(process.execPath, p.args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.status !== 0) throw new Error(`${p.label} exited ${res.status}: ${res.stderr.toString()}`);
      wall[i]!.push(ms);
      cpu[i]!.push((childrenCpuS() - c0) * 1000);
    });
  }
  const loadEnd = loadavg()[0]!;
  const tasks: TaskStat[] = PROBES.map((p, i) => {
    const w = wall[i]!;
    const p50 = median(w);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    return {
      name: p.label,
      opsPerSample: 1,
      p50Ns: p50 * 1e6,
      meanNs: mean * 1e6,
      p99Ns: Math.max(...w) * 1e6,
      rmePct: 0,
      samples: w.length,
      ...(p.targetMs !== undefined ? { target: { label: `≤ ${p.targetMs} ms`, met: p50 <= p.targetMs } } : {}),
    };
  });
  const ms = (i: number): string => `${median(wall[i]!).toFixed(0)} ms`;
  const cpuMs = (i: number): string => {
    const c = median(cpu[i]!);
    return Number.isFinite(c) ? `${c.toFixed(0)} ms` : 'n/a';
  };
  const notes = [
    `whole process, wall-clock medians of ${rounds} alternating rounds (p99 column: the slowest); load average (1 min) ${loadStart.toFixed(2)} at the start, ${loadEnd.toFixed(2)} at the end`,
    ...PROBES.map(
      (p, i) =>
        `${p.label.trim()}: wall ${ms(i)}, CPU ${cpuMs(i)}${p.targetMs !== undefined ? ` (target ≤ ${p.targetMs} ms wall: ${median(wall[i]!) <= p.targetMs ? 'met' : 'not met'})` : ''}`,
    ),
  ];
  const summary: Record<string, number> = { rounds, load_start: loadStart, load_end: loadEnd };
  PROBES.forEach((p, i) => {
    summary[`${p.key}_wall_ms`] = Math.round(median(wall[i]!));
    const c = median(cpu[i]!);
    if (Number.isFinite(c)) summary[`${p.key}_cpu_ms`] = Math.round(c);
  });
  return {
    suite: 'startup',
    title: 'Start-up (issue 10): whole process, the installed executable',
    tasks,
    summary,
    notes,
    ok: tasks.every((t) => !t.target || t.target.met),
  };
}

runIfMain(import.meta.url, () => run());
