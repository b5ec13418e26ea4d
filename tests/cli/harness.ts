import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI in-process, with stdout and stderr captured. */
export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = resolve(ROOT, 'dist/src/cli/main.js');

/** The built CLI as a child process (needs `npm run build`). */
export function spawnCli(
  args: readonly string[],
  nodeArgs: readonly string[] = [],
  timeout = 120_000,
): CliResult & { signal: NodeJS.Signals | null } {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/** A stack trace line as Node prints it. */
export const STACK_LINE = '    at ';

/** The built CLI as a child process, without blocking: lets independent spawns run side by side. */
export function spawnCliAsync(
  args: readonly string[],
  timeout = 120_000,
): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      timeout,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code: code ?? -1, stdout, stderr, signal }));
  });
}

/** A child process of the built CLI that a test can watch and signal. */
export interface Running {
  /** stderr so far. */
  stderr(): string;
  kill(signal: NodeJS.Signals): void;
  /** Resolves once `ready()` holds (polled); rejects if the process ends first. Never a fixed delay. */
  waitFor(ready: () => boolean, what: string): Promise<void>;
  readonly done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

export function spawnRunning(args: readonly string[], timeout = 120_000): Running {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, timeout, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let ended = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((ok, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => {
      ended = true;
      ok({ code: code ?? -1, stdout, stderr, signal });
    });
  });
  return {
    stderr: () => stderr,
    kill: (s) => void child.kill(s),
    async waitFor(ready, what) {
      while (!ready()) {
        if (ended) throw new Error(`the process ended before ${what}; stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    done,
  };
}
