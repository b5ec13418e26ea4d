import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { POOL_THRESHOLD } from '../execution/workers.js';
import type { CompiledModel } from '../model/compiled-model.js';
import { count } from '../report/format.js';
import { type Diagnostic, UserError } from '../util/diagnostics.js';
import { didYouMean } from '../util/suggest.js';
import type { Invocation } from './command-invocation.js';
import type { Io } from './io.js';
import { type Interrupt, withClaimedInterrupt } from './signal-interrupt.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'html';

/**
 * A command whose handler's argv type is the one its builder's options give (yargs infers it), so
 * no handler re-casts argv.
 */
export function typedCommand<U>(c: {
  readonly command: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv<U>;
  readonly handler: (argv: ArgumentsCamelCase<U>) => void | Promise<void>;
}): CommandModule<object, U> {
  return c;
}

/** What a long command's handler is given: where to write, the exit code, the claimed interrupt, argv, the command line. */
export type LongHandler<A> = (
  io: Io,
  setExit: (code: number) => void,
  interrupt: Interrupt,
  argv: A,
  inv: Invocation,
) => Promise<void>;

/**
 * A long command (mc, sweep, backtest, calibrate, discover, seek): the interrupt is claimed before anything
 * else (withClaimedInterrupt), so that Ctrl-C while the files load, compile or the pilot runs stops the
 * command cleanly (once that synchronous step ends) instead of killing it.
 */
export function longCommand<U>(
  io: Io,
  setExit: (code: number) => void,
  inv: Invocation,
  c: {
    readonly command: string;
    readonly describe: string;
    readonly builder: (y: Argv) => Argv<U>;
    readonly handler: LongHandler<ArgumentsCamelCase<U>>;
  },
): CommandModule<object, U> {
  return typedCommand({
    command: c.command,
    describe: c.describe,
    builder: c.builder,
    handler: (argv) => withClaimedInterrupt(io.interrupt, (interrupt) => c.handler(io, setExit, interrupt, argv, inv)),
  });
}

/** The argv a builder's options give its handler (for handlers written as functions of their own). */
export type ArgsOf<B extends (y: Argv) => Argv<unknown>> = ArgumentsCamelCase<
  B extends (y: Argv) => Argv<infer U> ? U : never
>;

/** Options several commands share, declared once. */
export function withOutputOptions<T>(y: Argv<T>) {
  return y
    .option('format', {
      choices: ['table', 'csv', 'json', 'html'] as const,
      describe: "output format (default: from --out's extension, else table)",
    })
    .option('out', {
      type: 'string',
      describe:
        'write to this file (atomically); its extension sets the format: .json .csv .html, .txt or none = table',
    });
}

/** What each file extension of `--out` means. */
const EXTENSION_FORMAT: Readonly<Record<string, OutputFormat>> = {
  '.json': 'json',
  '.csv': 'csv',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'table',
  '': 'table',
};

/**
 * The format of a command's output: `--out`'s extension decides (so `--out r.json` never writes a
 * table), `--format` may repeat it but not contradict it, and without `--out` it is `--format` or the
 * table. An extension with no meaning needs `--format`.
 */
export function outputFormat(a: { format?: OutputFormat; out?: string }): OutputFormat {
  if (a.out === undefined) return a.format ?? 'table';
  const ext = extname(a.out).toLowerCase();
  const implied = Object.hasOwn(EXTENSION_FORMAT, ext) ? EXTENSION_FORMAT[ext] : undefined;
  if (implied === undefined) {
    if (a.format) return a.format;
    throw new UserError({
      path: '--out',
      message: `cannot tell the format from the extension '${ext}' of ${a.out}`,
      hint: 'use .json, .csv, .html or .txt, or give --format',
    });
  }
  if (a.format && a.format !== implied)
    throw new UserError({
      path: '--format',
      message: `${a.format} contradicts --out ${a.out}, which is written as ${implied}`,
      hint: `drop --format, or give the file the extension of ${a.format}`,
    });
  return implied;
}

export function withSetOption<T>(y: Argv<T>) {
  return y.option('set', {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'override a lever or parameter: NAME=VALUE or NAME.REGION=VALUE (repeatable)',
  });
}

/** A command on one scenario (backtest, calibrate, seek): --format, --out, --set and the scenario. */
export function withScenario<T>(y: Argv<T>) {
  return withSetOption(withOutputOptions(y)).positional('scenario', {
    type: 'string',
    demandOption: true,
    describe: 'scenario YAML',
  });
}

/** --observed of the commands that grade or fit the scenario against observations. */
export function withObservedOption<T>(y: Argv<T>) {
  return y.option('observed', { type: 'string', describe: "observed CSV (default: the scenario's observed: file)" });
}

/** The observations `--observed` (or the scenario's `observed:`) gave; none is a usage error. */
export function requireObserved<T>(observed: T | undefined): T {
  if (observed === undefined)
    throw new UserError({
      path: '--observed',
      message: 'no observations: give --observed FILE or set observed: in the scenario',
    });
  return observed;
}

/** `--indicators` names must be the model's. */
export function checkIndicators(names: readonly string[], model: CompiledModel): void {
  const known = model.indicators.map((i) => i.name);
  for (const i of names) {
    if (!known.includes(i))
      throw new UserError({
        path: '--indicators',
        message: `unknown indicator '${i}'`,
        hint: didYouMean(i, known) ?? `known: ${known.join(', ')}`,
      });
  }
}

/** `--regions` names must be provinces, aggregates or the reference. */
export function checkRegions(names: readonly string[], model: CompiledModel): void {
  const known = [
    ...model.regions.map((r) => r.id),
    ...model.aggregates.map((r) => r.id),
    ...(model.reference ? [model.reference.id] : []),
  ];
  for (const r of names) {
    if (!known.includes(r))
      throw new UserError({
        path: '--regions',
        message: `unknown region '${r}'`,
        hint: didYouMean(r, known) ?? `known: ${known.join(', ')}`,
      });
  }
}

/**
 * The whole-number flags, one rule each, shared by every command that takes them: `run --mc-run K
 * --seed S` accepts exactly the seeds `mc --seed S` does. Declared as strings and parsed here, so that
 * a flag given without a value (`--runs` at the end of the line), an empty one (`--runs=`), a non-
 * decimal one (`0x10`) or a repeated one is a usage error instead of a silent default or NaN.
 */
export interface WholeFlag {
  readonly min: number;
  readonly max: number;
}

/** The default of every --workers flag (`auto`, decided by resolveWorkers), as --help shows it. */
export const AUTO_WORKERS = `auto: the main thread under ${count(POOL_THRESHOLD)} model evaluations, else all cores`;

/** Threads per core beyond which more workers only cost memory (each holds a kernel and its blocks). */
export const WORKERS_PER_CORE = 4;
export const MAX_WORKERS = WORKERS_PER_CORE * availableParallelism();
/** The most runs `mc` accepts at all (with --force); above MAX_EVALUATIONS it needs --force. */
export const MAX_RUNS = 1e10;

export const WHOLE_FLAGS = {
  runs: { min: 1, max: MAX_RUNS },
  seed: { min: 0, max: 2 ** 32 - 1 },
  'mc-run': { min: 0, max: MAX_RUNS - 1 },
  workers: { min: 0, max: MAX_WORKERS },
  chunk: { min: 1, max: 1e7 },
  step: { min: 1, max: 1000 },
  years: { min: 1, max: 9999 },
  from: { min: 1, max: 9999 },
  ramp: { min: 0, max: 1000 },
  box: { min: 0, max: 10_000 },
  'posterior-rows': { min: 1, max: 100_000 },
  'max-runs': { min: 1, max: MAX_RUNS },
} as const satisfies Record<string, WholeFlag>;
export type WholeFlagName = keyof typeof WHOLE_FLAGS;

/**
 * The yargs options of a whole-number flag, declared as a string and parsed later by `wholeFlags`
 * (its argv type is then the raw text); `def` shows in --help.
 */
export function wholeFlag(describe: string, def?: number | string) {
  return { type: 'string', describe, ...(def !== undefined ? { defaultDescription: String(def) } : {}) } as const;
}

/**
 * The `--workers` option every bulk command shares; `per` says what one pool serves ("per setting").
 * Results never depend on it (the evaluator's order of merging is fixed).
 */
export function workersFlag(per = '') {
  return wholeFlag(
    `worker threads${per ? ` ${per}` : ''} (0: the main thread; at most ${MAX_WORKERS}; results do not depend on it)`,
    AUTO_WORKERS,
  );
}

/** How a start-up line says where the work runs: "in the main thread" or "on 2 workers". */
export function whereItRuns(workers: number): string {
  return workers === 0 ? 'in the main thread' : `on ${workers} workers`;
}

/** Decimal notation only (exponents allowed when the value is whole): `0x10`, `0b1`, words are refused. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** One value of a whole-number flag, or a problem pushed onto `problems`. */
function parseWhole(
  name: WholeFlagName,
  raw: unknown,
  problems: Diagnostic[],
  rule: WholeFlag = WHOLE_FLAGS[name],
): number | undefined {
  // `--workers auto` spells out the default, which leaving the flag out gives.
  const auto = name === 'workers';
  const range = `a whole number from ${rule.min} to ${rule.max}${auto ? ', or auto' : ''}`;
  const s = String(raw).trim();
  if (auto && s === 'auto') return undefined;
  if (s === '') {
    problems.push({ path: `--${name}`, message: `needs a value: ${range}` });
    return undefined;
  }
  const n = DECIMAL.test(s) ? Number(s) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < rule.min || n > rule.max) {
    problems.push({ path: `--${name}`, message: `must be ${range} (got ${DECIMAL.test(s) ? s : `'${s}'`})` });
    return undefined;
  }
  return n;
}

/**
 * The flags of `names` that take one value, each given one parsed by `parse` into `out` (undefined: `parse`
 * noted a problem); one given more than once is a problem of its own. Shared by `wholeFlags` and `numberFlags`.
 */
function parseSingleFlags<N extends string>(
  argv: Record<string, unknown>,
  names: readonly N[],
  out: Record<string, unknown>,
  problems: Diagnostic[],
  parse: (name: N, raw: unknown) => number | undefined,
): void {
  for (const name of names) {
    const raw = argv[name];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) {
      problems.push({ path: `--${name}`, message: `given ${raw.length} times; give it once` });
      continue;
    }
    const v = parse(name, raw);
    if (v !== undefined) out[name] = v;
  }
}

/**
 * Parse a command's whole-number flags, every problem at once (one usage error listing each bad
 * flag). Flags in `lists` take one or more values; the others exactly one. A flag not given is
 * undefined: the command applies its default. `bounds` narrows a flag's range for this command
 * (backtest keeps every run in memory, so its --runs stops at a million), and the message states it.
 */
export function wholeFlags<N extends WholeFlagName, L extends WholeFlagName = never>(
  argv: Record<string, unknown>,
  names: readonly N[],
  lists: readonly L[] = [],
  bounds: Partial<Record<N | L, WholeFlag>> = {},
): Partial<Record<N, number> & Record<L, number[]>> {
  const out: Record<string, number | number[]> = {};
  const problems: Diagnostic[] = [];
  parseSingleFlags(argv, names, out, problems, (name, raw) => parseWhole(name, raw, problems, bounds[name]));
  for (const name of lists) {
    const raw = argv[name];
    if (raw === undefined) continue;
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) {
      const rule: WholeFlag = bounds[name] ?? WHOLE_FLAGS[name];
      problems.push({ path: `--${name}`, message: `needs a value: a whole number from ${rule.min} to ${rule.max}` });
      continue;
    }
    const before = problems.length;
    const values = list.map((x) => parseWhole(name, x, problems, bounds[name]));
    if (problems.length === before) out[name] = values as number[];
  }
  if (problems.length > 0) throw new UserError(problems);
  return out as Partial<Record<N, number> & Record<L, number[]>>;
}

/**
 * The most model evaluations (one projection of the horizon: a Monte Carlo run, a sweep row, a
 * future of a policy-grid row) a command starts without `--force`: 2·10⁹ is hours of work on a
 * laptop, and a design of 10 million rows × 1 million futures would run for months.
 */
export const MAX_EVALUATIONS = 2e9;

export function withForceOption<T>(y: Argv<T>) {
  return y.option('force', {
    type: 'boolean',
    default: false,
    describe: `start work beyond ${count(MAX_EVALUATIONS)} model evaluations`,
  });
}

/**
 * Refuse work beyond MAX_EVALUATIONS unless --force: a usage error at the flag or field that sets it;
 * `what` says how the total is made ("one per run", "4,096 rows × 300 futures").
 */
export function checkTotalWork(
  evaluations: number,
  force: boolean,
  where: Omit<Diagnostic, 'message'>,
  what: string,
): void {
  if (force || evaluations <= MAX_EVALUATIONS) return;
  throw new UserError({
    ...where,
    message: `${count(evaluations)} model evaluations (${what}) exceed the limit of ${count(MAX_EVALUATIONS)}`,
    hint: 'make the work smaller, or pass --force to start it anyway',
  });
}

/**
 * A command's own, narrower bound on a flag already parsed by `wholeFlags` (paired `mc` keeps every
 * run in memory, so its --runs stops at a million): a usage error naming the flag.
 */
export function wholeNumber(flag: string, v: number, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw new UserError({ path: `--${flag}`, message: `must be a whole number from ${min} to ${max} (got ${v})` });
}

/** Flags that take any finite decimal number (their commands check the range). */
export const NUMBER_FLAGS = [
  'value',
  'probability',
  'alpha',
  'min-mass',
  'min-coverage',
  'max-p',
  'rel-error',
  'precision',
  'checkpoint-every',
] as const;
export type NumberFlagName = (typeof NUMBER_FLAGS)[number];

/** The yargs options of a number flag (parsed later by `numberFlags`), as `wholeFlag`. */
export const numberFlag: (describe: string, def?: number) => ReturnType<typeof wholeFlag> = wholeFlag;

/**
 * Parse number flags as `wholeFlags` does whole ones: no value, a repeat or a non-decimal value is a
 * usage error, every problem at once; a flag not given is undefined.
 */
export function numberFlags<N extends NumberFlagName>(
  argv: Record<string, unknown>,
  names: readonly N[],
): Partial<Record<N, number>> {
  const out: Record<string, number> = {};
  const problems: Diagnostic[] = [];
  parseSingleFlags(argv, names, out, problems, (name, raw) => {
    const s = String(raw).trim();
    const v = DECIMAL.test(s) ? Number(s) : Number.NaN;
    if (s === '') problems.push({ path: `--${name}`, message: 'needs a value: a number' });
    else if (!Number.isFinite(v)) problems.push({ path: `--${name}`, message: `must be a number (got '${s}')` });
    else return v;
    return undefined;
  });
  if (problems.length > 0) throw new UserError(problems);
  return out as Partial<Record<N, number>>;
}

/** The most seconds between two checkpoints (`--checkpoint-every`, mc and sweep): a day. */
export const MAX_CHECKPOINT_EVERY_S = 86_400;

/** Declare `--checkpoint-every` (mc and sweep; parsed by `checkpointEvery`). */
export function withCheckpointEvery<T>(y: Argv<T>) {
  return y.option(
    'checkpoint-every',
    numberFlag(
      'seconds between checkpoints, at least (longer when a checkpoint is slow: they take at most 2% of the time; 0: as often as that allows)',
      10,
    ),
  );
}

/** `--checkpoint-every` in milliseconds: parsed as every number flag, then 0 to a day. */
export function checkpointEveryMs(argv: Record<string, unknown>): number {
  const s = numberFlags(argv, ['checkpoint-every'])['checkpoint-every'] ?? 10;
  if (!(s >= 0 && s <= MAX_CHECKPOINT_EVERY_S))
    throw new UserError({
      path: '--checkpoint-every',
      message: `must be from 0 to ${MAX_CHECKPOINT_EVERY_S} seconds (got ${s})`,
    });
  return s * 1000;
}
