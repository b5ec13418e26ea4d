import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { MAX_HORIZON_YEARS } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/scenario.js';
import { type Diagnostic, type SourceLocation, UserError } from '../util/diagnostics.js';
import { type FileReference, readInputFile } from '../util/input-file.js';
import { Problems } from '../util/problems.js';
import { didYouMean } from '../util/suggest.js';

/**
 * Observed series (the evidence a projection is judged by): a long-format CSV
 * `indicator,region,year,value[,sd][,basis][,note]`, checked against a scenario's model and horizon.
 * Every problem is reported at once with file:line:column.
 */

export const OBSERVED_COLUMNS = ['indicator', 'region', 'year', 'value', 'sd', 'basis', 'note'] as const;
const REQUIRED = ['indicator', 'region', 'year', 'value'] as const;
/** Rows beyond this are refused: a backtest keeps one value per run and observation. */
export const MAX_OBSERVATIONS = 10_000;

export interface Observation {
  readonly indicator: string;
  readonly region: string;
  readonly year: number;
  readonly value: number;
  /** Standard error of the observation in the indicator's unit; undefined when not given. */
  readonly sd?: number;
  /** Statistical basis (e.g. "2018 revision"); a change within a series is a declared break. */
  readonly basis?: string;
  readonly note?: string;
  /** The model's series index for (indicator, region). */
  readonly series: number;
  readonly line: number;
}

/** A change of `basis` between consecutive observed years of one series. */
export interface BasisBreak {
  readonly indicator: string;
  readonly region: string;
  /** The first year on the new basis. */
  readonly year: number;
  readonly from: string;
  readonly to: string;
}

export interface ObservedSet {
  readonly file: string;
  /** Sorted by series (model order), then year. */
  readonly observations: readonly Observation[];
  readonly breaks: readonly BasisBreak[];
}

/** The observed file of a scenario: `--observed` wins over the scenario's `observed:` (relative to the scenario). */
export function observedFileOf(scenario: Pick<Scenario, 'file' | 'raw'>, cliFile?: string): string | undefined {
  if (cliFile !== undefined) return cliFile;
  const declared = scenario.raw.observed;
  if (declared === undefined) return undefined;
  // Kept relative when the scenario's path is, as uncertainties includes are: outputs name it the same way on every machine.
  return isAbsolute(declared) ? declared : join(dirname(scenario.file), declared);
}

/** Load and check the scenario's observations; undefined when it has none. */
export function loadObservedFor(
  scenario: Pick<Scenario, 'file' | 'raw' | 'source'> & ObservedContext,
  cliFile?: string,
): ObservedSet | undefined {
  const file = observedFileOf(scenario, cliFile);
  if (file === undefined) return undefined;
  // A file the scenario names is reported at its `observed:` field when it cannot be read.
  const from: FileReference | undefined =
    cliFile === undefined && scenario.raw.observed !== undefined
      ? { location: scenario.source.locate(['observed']), path: 'observed', name: scenario.raw.observed }
      : undefined;
  return parseObserved(readObservedText(file, from), file, scenario);
}

/** The one place observed files are read: the shared reader (regular files, size cap, UTF-8). */
export function readObservedText(file: string, from?: FileReference): string {
  return readInputFile(file, 'observed file', from);
}

/** Text as shown in a message: quoted, control characters escaped. */
function shown(s: string): string {
  return JSON.stringify(s);
}

interface RawRecord {
  readonly fields: readonly string[];
  readonly line: number;
  /** 1-based column of each field's first character. */
  readonly columns: readonly number[];
}

/** CSV text → records with the line and column of every field (csv-parse does the parsing). */
function parseRecords(text: string, file: string): RawRecord[] {
  let parsed: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    parsed = parse(text, {
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as typeof parsed;
  } catch (e) {
    const err = e as Error & { lines?: number; column?: number; code?: string };
    const message = err.message.replace(/ at line \d+.*$/s, '').replace(/\s+/g, ' ');
    throw new UserError({
      location: { file, ...(err.lines ? { line: err.lines } : {}) },
      path: '',
      message: `invalid CSV: ${message}`,
    });
  }
  return parsed.map(({ record, info, raw }) => {
    const body = raw.replace(/\r?\n$/, '');
    const newlines = body.split('\n').length - 1;
    return { fields: record, line: info.lines - newlines, columns: fieldColumns(body, record.length) };
  });
}

/**
 * Columns where each field starts in a record's raw text (csv-parse reports lines but not columns).
 * The text has already been accepted by the parser, so a plain scan for unquoted commas is enough.
 */
function fieldColumns(raw: string, count: number): number[] {
  const cols = [1];
  let quoted = false;
  let col = 1;
  for (let i = 0; i < raw.length && cols.length < count; i++) {
    const ch = raw[i]!;
    if (ch === '\n') col = 0;
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) cols.push(col + 1);
    col++;
  }
  while (cols.length < count) cols.push(col);
  return cols;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What observations are checked against: the model's series and the years a projection covers. */
export type ObservedContext = Pick<Scenario, 'model' | 'horizon'>;

/**
 * An observed file on its own (`policysim validate data.csv`): checked against a model, with any year
 * a horizon could reach (the base year to MAX_HORIZON_YEARS after it).
 */
export function checkObservedFile(file: string, model: Scenario['model']): ObservedSet {
  const horizon = { start: model.baseYear, end: model.baseYear + MAX_HORIZON_YEARS };
  return parseObserved(readObservedText(file), file, { model, horizon });
}

/**
 * The problems of the observed file named by a scenario that failed its own checks (its horizon may be
 * the mistake: the years are checked against any horizon the model allows), so that `validate`
 * reports them with the scenario's instead of in a second round.
 */
export function observedProblemsOf(partial: Pick<Scenario, 'file' | 'raw' | 'source' | 'model'>): Diagnostic[] {
  if (typeof partial.raw.observed !== 'string') return [];
  const { model } = partial;
  try {
    loadObservedFor({ ...partial, horizon: { start: model.baseYear, end: model.baseYear + MAX_HORIZON_YEARS } });
    return [];
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return [...e.diagnostics];
  }
}

export function parseObserved(text: string, file: string, scenario: ObservedContext): ObservedSet {
  const { model, horizon } = scenario;
  const records = parseRecords(text, file);
  const problems = new Problems({ file, locate: () => undefined });
  /** A cell of the file: problems are located by line and column, with the column's name as their path. */
  const place = (line: number, column: number | undefined): SourceLocation => ({
    file,
    line,
    ...(column !== undefined ? { column } : {}),
  });
  const header = records[0];
  if (!header)
    throw new UserError({
      location: { file, line: 1, column: 1 },
      path: '',
      message: 'empty observed file: expected a header line indicator,region,year,value',
    });
  const at = new Map<string, number>();
  header.fields.forEach((h, i) => {
    const name = h.trim();
    if (!(OBSERVED_COLUMNS as readonly string[]).includes(name))
      problems.atLocation(
        place(header.line, header.columns[i]),
        ['header'],
        `unknown column ${shown(name)}; expected ${OBSERVED_COLUMNS.join(', ')}`,
        didYouMean(name, OBSERVED_COLUMNS),
      );
    else if (at.has(name))
      problems.atLocation(place(header.line, header.columns[i]), ['header'], `column '${name}' appears twice`);
    else at.set(name, i);
  });
  for (const r of REQUIRED)
    if (!at.has(r))
      problems.atLocation(
        place(header.line, 1),
        ['header'],
        `missing column '${r}' (required: ${REQUIRED.join(', ')})`,
      );
  problems.throwIfAny();
  if (records.length - 1 > MAX_OBSERVATIONS)
    throw new UserError({
      location: { file },
      path: '',
      message: `has ${records.length - 1} rows; at most ${MAX_OBSERVATIONS} observations are allowed`,
    });

  const indicators = model.indicators.map((i) => i.name);
  const regions = [
    ...model.regions.map((r) => r.id),
    ...model.aggregates.map((a) => a.id),
    ...(model.reference ? [model.reference.id] : []),
  ];
  const seen = new Map<string, number>();
  const observations: Observation[] = [];
  for (const rec of records.slice(1)) {
    const { line } = rec;
    if (rec.fields.length !== header.fields.length) {
      problems.atLocation(
        place(line, 1),
        [],
        `has ${rec.fields.length} fields; the header has ${header.fields.length}`,
      );
      continue;
    }
    const cell = (name: string): { text: string; column: number } | undefined => {
      const i = at.get(name);
      return i === undefined ? undefined : { text: rec.fields[i]!.trim(), column: rec.columns[i]! };
    };
    const ind = cell('indicator')!;
    const reg = cell('region')!;
    const yr = cell('year')!;
    const val = cell('value')!;
    let ok = true;
    if (!indicators.includes(ind.text)) {
      problems.atLocation(
        place(line, ind.column),
        ['indicator'],
        `unknown indicator ${shown(ind.text)}`,
        didYouMean(ind.text, indicators),
      );
      ok = false;
    }
    if (!regions.includes(reg.text)) {
      problems.atLocation(
        place(line, reg.column),
        ['region'],
        `unknown region ${shown(reg.text)}`,
        didYouMean(reg.text, regions),
      );
      ok = false;
    }
    const series = ok ? model.seriesIndex(ind.text, reg.text) : undefined;
    if (ok && series === undefined) {
      problems.atLocation(
        place(line, reg.column),
        ['region'],
        `indicator '${ind.text}' has no series for '${reg.text}'`,
      );
      ok = false;
    }
    const year = /^\d{1,4}$/.test(yr.text) ? Number(yr.text) : NaN;
    if (Number.isNaN(year)) {
      problems.atLocation(place(line, yr.column), ['year'], `expected a year like 2016, got ${shown(yr.text)}`);
      ok = false;
    } else if (year < horizon.start || year > horizon.end) {
      const before = year < model.baseYear ? `; the model starts in ${model.baseYear}` : '';
      problems.atLocation(
        place(line, yr.column),
        ['year'],
        `year ${year} is outside the horizon ${horizon.start}-${horizon.end}${before}`,
      );
      ok = false;
    }
    const value = NUMBER.test(val.text) ? Number(val.text) : NaN;
    if (!Number.isFinite(value)) {
      problems.atLocation(place(line, val.column), ['value'], `expected a number, got ${shown(val.text)}`);
      ok = false;
    }
    const sdCell = cell('sd');
    let sd: number | undefined;
    if (sdCell && sdCell.text !== '') {
      sd = NUMBER.test(sdCell.text) ? Number(sdCell.text) : NaN;
      if (!(Number.isFinite(sd) && sd > 0)) {
        problems.atLocation(
          place(line, sdCell.column),
          ['sd'],
          `expected a standard error > 0 (or empty), got ${shown(sdCell.text)}`,
        );
        ok = false;
      }
    }
    if (ok) {
      const key = `${ind.text}\u0000${reg.text}\u0000${year}`;
      const first = seen.get(key);
      if (first !== undefined) {
        problems.atLocation(
          place(line, ind.column),
          [],
          `duplicate observation of ${ind.text} for ${reg.text} in ${year} (first on line ${first})`,
        );
        continue;
      }
      seen.set(key, line);
      const basis = cell('basis')?.text;
      const note = cell('note')?.text;
      observations.push({
        indicator: ind.text,
        region: reg.text,
        year,
        value,
        ...(sd !== undefined ? { sd } : {}),
        ...(basis ? { basis } : {}),
        ...(note ? { note } : {}),
        series: series!,
        line,
      });
    }
  }
  problems.throwIfAny();
  observations.sort((a, b) => a.series - b.series || a.year - b.year);
  return { file, observations, breaks: basisBreaks(observations) };
}

function basisBreaks(obs: readonly Observation[]): BasisBreak[] {
  const breaks: BasisBreak[] = [];
  for (let i = 1; i < obs.length; i++) {
    const a = obs[i - 1]!;
    const b = obs[i]!;
    if (a.series !== b.series) continue;
    const from = a.basis ?? '';
    const to = b.basis ?? '';
    if (from !== to) breaks.push({ indicator: b.indicator, region: b.region, year: b.year, from, to });
  }
  return breaks;
}

/** The basis break a series has at or before `year`, for labelling. */
export function seriesBreaks(set: ObservedSet, indicator: string, region: string): BasisBreak[] {
  return set.breaks.filter((b) => b.indicator === indicator && b.region === region);
}
