#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import yargs, { type MiddlewareFunction } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { RunError, renderDiagnostics, UserError } from '../util/diagnostics.js';
import { didYouMean, suggestValue } from '../util/suggest.js';
import { escapeControlLines } from '../util/terminal-text.js';
import { backtestCommand } from './backtest.js';
import { calibrateCommand } from './calibrate.js';
import type { Invocation } from './command-invocation.js';
import { compareCommand } from './compare.js';
import { describeCommand } from './describe.js';
import { discoverCommand } from './discover.js';
import { checkFlagValues, type DeclaredOptions } from './flag-values.js';
import { type Io, processIo } from './io.js';
import { mcCommand } from './mc.js';
import { mergeCommand } from './merge.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { seekCommand } from './seek.js';
import { installInterruptHandlers } from './signal-interrupt.js';
import { sweepCommand } from './sweep.js';
import { validateCommand } from './validate.js';

/**
 * Exit codes: 0 success, 1 failure while running (the input was valid; the model or the machine
 * failed), 2 bad input or usage, 130 interrupted by Ctrl-C (SIGINT), 143 by SIGTERM (interrupt.ts).
 */
export const EXIT_OK = 0;
export const EXIT_RUN_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

class UsageError extends Error {}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exit = EXIT_OK;
  const setExit = (code: number): void => {
    exit = Math.max(exit, code);
  };
  const inv: Invocation = { argv: [...argv] };
  const parser = yargs([...argv])
    .scriptName('policysim')
    .usage('$0 <command> [options]\n\nPolicy-scenario simulation: Northeast China and the Belt and Road.')
    .command(runCommand(io, inv))
    .command(validateCommand(io, setExit))
    .command(compareCommand(io, inv))
    .command(describeCommand(io))
    .command(mcCommand(io, setExit, inv))
    .command(sweepCommand(io, setExit, inv))
    .command(mergeCommand(io))
    .command(seekCommand(io, setExit, inv))
    .command(discoverCommand(io, setExit, inv))
    .command(backtestCommand(io, setExit, inv))
    .command(calibrateCommand(io, setExit, inv))
    .command(reportCommand(io))
    .demandCommand(
      1,
      'give a command: run, mc, sweep, merge, seek, discover, backtest, calibrate, validate, compare, describe, report',
    )
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    // A flag typed without its value is an error, not its default (flag-values.ts). yargs hands a
    // middleware the instance that parsed the command (its options), which its types leave out.
    .middleware(((args: object, y: { getOptions(): DeclaredOptions }) =>
      checkFlagValues(argv, y.getOptions(), args)) as unknown as MiddlewareFunction)
    .fail((msg, err) => {
      throw err ?? new UsageError(withFlagHint(withChoiceHint(msg), argv, () => knownFlags(parser)));
    });
  // With a parse callback yargs hands over the help text instead of printing it with console.log,
  // so help goes through the injected Io like every other output (and in-process tests see it).
  let help = '';
  try {
    await parser.parseAsync([...argv], (_err: unknown, _parsed: unknown, output: string) => void (help = output));
  } catch (e) {
    return reportError(e, io);
  }
  if (help) io.stdout(`${help}\n`);
  return exit;
}

/** yargs names the choices of a flag given a wrong value (`--format jsn`); add the closest one. */
function withChoiceHint(msg: string): string {
  const m = /Given: "([^"]*)", Choices: (.*)$/m.exec(msg ?? '');
  if (!m) return msg;
  const choices = [...m[2]!.matchAll(/"([^"]*)"/g)].map((c) => c[1]!);
  const hint = suggestValue(m[1]!, choices);
  return hint ? `${msg} (${hint})` : msg;
}

/**
 * yargs names the flags it does not know (`--precison`); add the closest flag of the command to each.
 * `known` is called only then: the options of the command being parsed, as yargs holds them.
 */
function withFlagHint(msg: string, argv: readonly string[], known: () => readonly string[]): string {
  const m = /^(Unknown arguments?): (.*)$/.exec(msg ?? '');
  if (!m) return msg;
  const flags = known()
    .filter((k) => k.length > 1 && !/[A-Z]/.test(k))
    .map((k) => `--${k}`);
  const unknown = m[2]!.split(', ');
  // yargs also lists the camelCase twin of a dashed name (`max-run`, `maxRun`): one is enough.
  const camel = (x: string): string => x.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const twins = new Set(unknown.filter((u) => u.includes('-')).map(camel));
  const named = unknown
    .filter((u) => !twins.has(u))
    .map((u) => {
      // Only what was typed as a flag: an extra positional argument is not a misspelt flag.
      const typed = argv.some((x) => x === `--${u}` || x.startsWith(`--${u}=`));
      const hint = typed ? didYouMean(`--${u}`, flags) : undefined;
      return hint ? `${u} (${hint})` : u;
    });
  return `${named.length === 1 ? 'Unknown argument' : m[1]}: ${named.join(', ')}`;
}

/** The flags yargs knows at this point of the parse (the command's own once its builder ran). getOptions is untyped. */
function knownFlags(parser: unknown): string[] {
  return Object.keys((parser as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);
}

function reportError(e: unknown, io: Io): number {
  if (e instanceof UserError) {
    io.stderr(renderDiagnostics(e.diagnostics, 'policysim: error: '));
    return EXIT_BAD_INPUT;
  }
  if (e instanceof UsageError) {
    io.stderr(`policysim: usage error: ${escapeControlLines(e.message)}\nRun 'policysim --help' for usage.\n`);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof RunError) {
    if (e.diagnostics.length > 0) io.stderr(renderDiagnostics(e.diagnostics, 'policysim: failed: '));
    else
      io.stderr(`policysim: failed: ${escapeControlLines(e.message)}
`);
    return EXIT_RUN_FAILURE;
  }
  const err = e as Error;
  io.stderr(`policysim: internal error: ${escapeControlLines(err?.message ?? String(e))}\n${err?.stack ?? ''}\n`);
  return EXIT_RUN_FAILURE;
}

function isEntryPoint(): boolean {
  const argv1 = process.argv[1];
  if (!argv1) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs policysim as the process: the built bundle's entry (bin.ts) and `node dist/src/cli/main.js`. */
export function runAsProgram(): void {
  // The main thread's garbage is short-lived (pilot runs, merged blocks): a small nursery keeps peak
  // memory down at no measurable cost in speed.
  setFlagsFromString('--max-semi-space-size=2');
  // `policysim ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  // First of all, before any loading: SIGINT and SIGTERM stop every command cleanly.
  const interrupt = installInterruptHandlers((t) => void process.stderr.write(t));
  const io: Io = { stdout: processIo.stdout, stderr: processIo.stderr, isTTY: processIo.isTTY, interrupt };
  main(hideBin(process.argv), io).then((code) => {
    process.exitCode = code;
  });
}

if (isEntryPoint()) runAsProgram();
