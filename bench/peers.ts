import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareMc } from '../src/montecarlo/prepare-mc.js';
import { packageRoot } from '../src/scenario/defaults.js';
import { agreeInDistribution, engineDeterministic, engineMc, worstRelative } from './peers/agreement.js';
import { buildCPeer, CC, CFLAGS, haveCompiler } from './peers/c-peer.js';
import { buildNumpyPeer, numpyVersion, PYTHON } from './peers/numpy-peer.js';
import { type PeerOutput, peerInput } from './peers/peer-input.js';
import { fmt, median, runIfMain, type SuiteOptions, type SuiteResult, type TaskStat, timedTask } from './suite.js';

/**
 * Engine against its peers (bench/peers/): the same Monte Carlo of scenarios/paper-proposals.yaml
 * (same draws per run, the 798 statistics cells, the targets) as `policysim mc --workers 0`, a C
 * transcription of the generated kernel (gcc -O2) and a numpy program vectorised over runs. Each
 * peer is first checked equal to the engine on the deterministic path (1e-12 relative) and in
 * distribution on a Monte Carlo run; then each program runs as a whole process, rounds alternating,
 * and its CPU time (user + system, GNU time) gives runs per CPU-second.
 *
 * Targets (issue 10): engine ≥ 1.0 × C and ≥ 3 × numpy per CPU-second.
 *
 * Environment: BENCH_PEERS_RUNS (default 1,000,000), BENCH_PEERS_ROUNDS (default 3),
 * BENCH_PEERS_CHECK_RUNS (runs of the distribution check, default 20,000).
 */
export const C_TARGET = 1.0;
export const NUMPY_TARGET = 3.0;
const SCENARIO = 'scenarios/paper-proposals.yaml';
const SEED = 2016;
/**
 * The installed bin (package.json's `bin`: the bundled CLI, compiled from its V8 code cache), which
 * is what `policysim mc` runs; the unbundled dist/src/cli/main.js spent ~0.25 CPU-s more per process
 * on loading and compiling its modules (1,000 runs: 0.80 against 0.53 CPU-s, load ~2).
 */
const CLI = fileURLToPath(new URL('../cli/policysim.js', import.meta.url));

const envInt = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number >= 1 (got ${v})`);
  return n;
};

/** CPU seconds (user + system) of one whole process, from GNU time. */
function cpuSeconds(cmd: string, args: readonly string[], dir: string): number {
  const file = join(dir, 'time.txt');
  execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', file, cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 30,
    cwd: packageRoot(),
  });
  const [u, s] = readFileSync(file, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return u! + s!;
}

interface Program {
  readonly name: string;
  readonly cmd: string;
  readonly args: (runs: number) => string[];
  readonly cpu: number[];
}

export async function run(partial: Partial<SuiteOptions> = {}): Promise<SuiteResult> {
  void partial;
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
  if (!existsSync('/usr/bin/time'))
    throw new Error('peers: GNU time (/usr/bin/time) is needed; install the Debian package time');
  const runs = envInt('BENCH_PEERS_RUNS', 1_000_000);
  const rounds = envInt('BENCH_PEERS_ROUNDS', 3);
  const checkRuns = envInt('BENCH_PEERS_CHECK_RUNS', 20_000);
  const log = (s: string): void => void process.stderr.write(`  [peers] ${s}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'policysim-peers-'));
  const notes: string[] = [];
  try {
    const ctx = prepareMc({ scenarioFile: join(packageRoot(), SCENARIO), overrides: [] });
    const input = peerInput(ctx, SEED);
    const det = engineDeterministic(ctx);
    const engineCheck = await engineMc(ctx, checkRuns, SEED);
    const programs: Program[] = [
      {
        name: 'policysim mc --workers 0',
        cmd: process.execPath,
        args: (n) => [
          CLI,
          'mc',
          SCENARIO,
          '--runs',
          String(n),
          '--workers',
          '0',
          '--format',
          'json',
          '--out',
          join(dir, 'mc.json'),
        ],
        cpu: [],
      },
    ];
    const check = (name: string, cmd: string, args: string[]): void => {
      const d = JSON.parse(execFileSync(cmd, [...args, '--det'], { maxBuffer: 1 << 30 }).toString()) as {
        out: number[];
      };
      const worst = worstRelative(det, d.out);
      if (!(worst <= 1e-12))
        throw new Error(`${name}: deterministic path differs from the engine by ${worst} (relative)`);
      const out = JSON.parse(
        execFileSync(cmd, [...args, String(checkRuns), String(SEED)], { maxBuffer: 1 << 30 }).toString(),
      ) as PeerOutput;
      const a = agreeInDistribution(engineCheck, out, input);
      if (a.failures.length > 0)
        throw new Error(`${name}: differs from the engine in distribution:\n  ${a.failures.slice(0, 10).join('\n  ')}`);
      notes.push(
        `${name}: deterministic path within ${worst.toExponential(1)} relative of the engine (${det.length} values); ` +
          `${checkRuns.toLocaleString('en-US')}-run Monte Carlo agrees in distribution (${a.checked} checks: means, p5/p50/p95, target probabilities, ±5 SE)`,
      );
    };
    if (haveCompiler()) {
      const exe = buildCPeer(input, dir);
      check('C peer', exe, []);
      programs.push({ name: `C peer (${CC} ${CFLAGS[0]})`, cmd: exe, args: (n) => [String(n), String(SEED)], cpu: [] });
    } else notes.push(`C peer: not run (no C compiler: '${CC} --version' failed; install gcc)`);
    const np = numpyVersion();
    if (np) {
      const args = buildNumpyPeer(input, dir);
      check('numpy peer', PYTHON, args);
      programs.push({
        name: `numpy peer (numpy ${np})`,
        cmd: PYTHON,
        args: (n) => [...args, String(n), String(SEED)],
        cpu: [],
      });
    } else notes.push(`numpy peer: not run (${PYTHON} with numpy not found; install python3-numpy)`);

    for (let r = 0; r < rounds; r++) {
      // Alternate the order between rounds so that a change in the machine's load hits each program alike.
      const order = r % 2 === 0 ? programs : [...programs].reverse();
      for (const p of order) {
        const s = cpuSeconds(p.cmd, p.args(runs), dir);
        p.cpu.push(s);
        log(`round ${r + 1}: ${p.name}: ${fmt(runs)} runs in ${s.toFixed(2)} CPU s (load ${loadavg()[0]!.toFixed(2)})`);
      }
    }
    const rate = (p: Program): number => runs / median(p.cpu);
    const engine = rate(programs[0]!);
    const tasks: TaskStat[] = programs.map((p, i) => {
      const perRun = p.cpu.map((s) => (s * 1e9) / runs);
      const ratio = engine / rate(p);
      const target =
        i === 0 ? undefined : p.name.startsWith('C') ? C_TARGET : p.name.startsWith('numpy') ? NUMPY_TARGET : undefined;
      const name = `${p.name}: ${fmt(rate(p))} runs/CPU-s${i === 0 ? '' : `, engine ${ratio.toFixed(2)}×`}`;
      return timedTask(
        name,
        runs,
        perRun,
        target !== undefined ? { target: { label: `engine ≥ ${target}× this`, met: ratio >= target } } : {},
      );
    });
    const summary: Record<string, number | string | boolean> = {
      runs,
      rounds,
      engine_runs_per_cpu_s: Math.round(engine),
    };
    for (const p of programs.slice(1)) {
      const key = p.name.startsWith('C') ? 'c' : 'numpy';
      summary[`${key}_runs_per_cpu_s`] = Math.round(rate(p));
      summary[`engine_over_${key}`] = Number((engine / rate(p)).toFixed(3));
    }
    notes.unshift(
      `${fmt(runs)} runs of ${SCENARIO} (seed ${SEED}) per program and round, ${rounds} rounds alternating; whole process, CPU = user + system (GNU time); p50 = median CPU time per run`,
    );
    return {
      suite: 'peers',
      title: 'Engine vs peers: the same Monte Carlo, runs per CPU-second',
      tasks,
      summary,
      notes,
      ok: tasks.every((t) => t.target?.met !== false),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
