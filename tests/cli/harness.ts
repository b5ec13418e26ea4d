/**
 * The one harness for driving the CLI from tests.
 *
 * In-process first: `cli(...)` runs `main()` from the sources with stdout and stderr captured, and
 * reaches real worker pools too (their threads load the built worker scripts under dist/, which
 * `npm test` builds first; src/util/worker-script.ts). `cliRunning(...)` is the same for long work
 * a test stops half-way, through the command's injected interrupt instead of a signal.
 *
 * A child process of the built CLI (`spawnCli`, `spawnRunning`) only where the process boundary is
 * the point: signals, the exit status of the real process, a closed pipe, a heap limit. Each costs a
 * Node start-up (about a second of CPU), so a test file should need few.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXIT_SIGINT, EXIT_SIGTERM, type Interrupt } from '../../src/cli/signal-interrupt.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** The `policysim` executable as installed: package.json's bin (the bundle, scripts/bundle-cli.mjs). */
export const BIN = resolve(
  ROOT,
  (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { bin: { policysim: string } }).bin.policysim,
);

/** A stack trace line as Node prints it. */
export const STACK_LINE = '    at ';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A child process's result: also the signal that ended it, if one did. */
export interface ProcessResult extends CliResult {
  readonly signal: NodeJS.Signals | null;
}

/** A command under way that a test can watch and stop. */
export interface Running<R extends CliResult = CliResult> {
  /** stderr so far. */
  stderr(): string;
  /** In-process only SIGINT and SIGTERM, as the command sees them. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves once `ready()` holds (polled); rejects if the command ends first. Never a fixed delay. */
  waitFor(ready: () => boolean, what: string): Promise<void>;
  readonly done: Promise<R>;
}

function requireRoot(): void {
  // Fixture paths relative to the root (as a user types them, and as the expected messages name them)
  // resolve against the cwd, as they do for the child processes.
  if (resolve(process.cwd()) !== ROOT) throw new Error(`run the tests from ${ROOT} (cwd is ${process.cwd()})`);
}

/** The CLI in-process, stdout and stderr captured. */
export async function cli(...argv: string[]): Promise<CliResult> {
  return cliRunning(argv).done;
}

export interface InProcessOptions {
  /**
   * Set in process.env while the command runs, and restored after: for one command at a time (the
   * whole process sees them).
   */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The CLI in-process, stoppable: `kill(signal)` does what the entry point's handler does for a
 * command that has claimed the interrupt (src/cli/signal-interrupt.ts): it aborts the command's
 * signal, and the command exits 130 for SIGINT, 143 for SIGTERM. What a process does beyond that
 * (exit at once before a command claims it, or on a second signal) needs `spawnRunning`.
 */
export function cliRunning(argv: readonly string[], o: InProcessOptions = {}): Running {
  requireRoot();
  let stdout = '';
  let stderr = '';
  let ended = false;
  const abort = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | undefined;
  let claims = 0;
  const interrupt: Interrupt = {
    signal: abort.signal,
    exitCode: () => (received === 'SIGTERM' ? EXIT_SIGTERM : EXIT_SIGINT),
    claim() {
      claims++;
      return () => void claims--;
    },
  };
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: false,
    interrupt,
  };
  const restore = setEnv(o.env ?? {});
  const done = main(argv, io)
    .finally(restore)
    .then((code) => {
      ended = true;
      return { code, stdout, stderr };
    });
  return {
    stderr: () => stderr,
    kill(signal) {
      if (signal !== 'SIGINT' && signal !== 'SIGTERM') throw new Error(`${signal} in-process: use spawnRunning`);
      if (received !== undefined || claims === 0)
        throw new Error(`${signal} in-process: a process would exit at once here; use spawnRunning`);
      received = signal;
      abort.abort();
    },
    waitFor: (ready, what) =>
      poll(
        ready,
        what,
        () => ended,
        () => stderr,
      ),
    done,
  };
}

/** Sets `env` in process.env; the returned function puts back what was there. */
function setEnv(env: Readonly<Record<string, string>>): () => void {
  const before = Object.keys(env).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of before) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

async function poll(ready: () => boolean, what: string, ended: () => boolean, stderr: () => string): Promise<void> {
  while (!ready()) {
    if (ended()) throw new Error(`the command ended before ${what}; stderr:\n${stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface SpawnOptions {
  /** Options for node itself, before the script (a heap limit, say). */
  readonly nodeArgs?: readonly string[];
  /** ms; the process is killed after it (the result then has a signal). */
  readonly timeout?: number;
  /** The script node runs (default BIN; the unbundled dist/src/cli/main.js to compare with it). */
  readonly script?: string;
  /** Added to the environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The built CLI as a child process (`npm run build` first; `npm test` does). */
export function spawnCli(args: readonly string[], o: SpawnOptions = {}): Promise<ProcessResult> {
  return spawnRunning(args, o).done;
}

/** Several child processes, `parallel` at a time (each is a Node start-up: one per core), results in order. */
export async function spawnAll(argvs: readonly (readonly string[])[], parallel = 2): Promise<ProcessResult[]> {
  const out: ProcessResult[] = new Array(argvs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < argvs.length) {
      const i = next++;
      out[i] = await spawnCli(argvs[i]!);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return out;
}

/** The built CLI as a child process that a test can watch and signal. */
export function spawnRunning(args: readonly string[], o: SpawnOptions = {}): Running<ProcessResult> {
  const script = o.script ?? BIN;
  if (!existsSync(script)) throw new Error(`${script} is missing: run 'npm run build' first (npm test does)`);
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), script, ...args], {
    cwd: ROOT,
    timeout: o.timeout ?? 120_000,
    env: { ...process.env, NO_COLOR: '1', ...o.env },
  });
  let stdout = '';
  let stderr = '';
  let ended = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<ProcessResult>((ok, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => {
      ended = true;
      ok({ code: code ?? -1, stdout, stderr, signal });
    });
  });
  return {
    stderr: () => stderr,
    kill: (s) => void child.kill(s),
    waitFor: (ready, what) =>
      poll(
        ready,
        what,
        () => ended,
        () => stderr,
      ),
    done,
  };
}
