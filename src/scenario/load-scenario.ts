import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CompiledModel } from '../model/compiled-model.js';
import { loadModel } from '../model/load-model.js';
import { type Diagnostic, sortDiagnostics, UserError } from '../util/diagnostics.js';
import { Problems, pathString } from '../util/problems.js';
import { checkSchema, salvage } from '../util/schema-check.js';
import { didYouMean } from '../util/suggest.js';
import { type PathKey, readYamlFile, type YamlSource } from '../util/yaml-source.js';
import { DEFAULT_HORIZON_END } from './defaults.js';
import { defaultLevers, writeLeverPath } from './lever-path.js';
import { applyOverride, type Overrides, resolveOverrides } from './overrides.js';
import { regionMembers, settableRegionIds } from './regions.js';
import type { Override, Scenario, Target } from './scenario.js';
import { type PathSetting, type ScenarioFile, ScenarioFileSchema, type StepSetting } from './scenario-file.js';
import { checkSeriesRef, seriesRegionIds } from './series-ref.js';

export { DEFAULT_HORIZON_END, DEFAULT_SCENARIO } from './defaults.js';
/** A horizon ends at most this many years after the model's base year. */
export const MAX_HORIZON_YEARS = 200;

export interface LoadOptions {
  /** What-ifs applied after the file (the CLI's `--set`, typed in src/cli/set-overrides.ts). */
  readonly overrides?: Overrides;
  /** The file already read (validate reads each file to tell its kind): not read and parsed again. */
  readonly source?: YamlSource;
}

/** Read a scenario file, check it against its model, and expand its levers year by year. */
export function loadScenario(file: string, options: LoadOptions = {}): Scenario {
  if (!existsSync(file)) throw new UserError({ location: { file }, path: '', message: 'scenario file not found' });
  if (statSync(file).isDirectory())
    throw new UserError({ location: { file }, path: '', message: 'is a directory, expected a scenario file' });
  const src = options.source ?? readYamlFile(file, 'scenario file');
  return scenarioFromSource(src, options);
}

export function scenarioFromSource(src: YamlSource, options: LoadOptions = {}): Scenario {
  const { value, diagnostics } = checkSchema(ScenarioFileSchema, src);
  // A file with shape problems is still checked against its model, part by part, so that every
  // problem is reported at once; the parts that are not well-formed are left out of those checks.
  const { value: file, failed } = value ? { value, failed: new Set<string>() } : salvage(ScenarioFileSchema, src.data);
  const shapeProblems = sortDiagnostics(diagnostics);
  if (!value && (failed.has('model') || src.data === null || typeof src.data !== 'object' || Array.isArray(src.data)))
    throw new UserError(shapeProblems);
  let model: CompiledModel;
  try {
    model = loadModel(file.model, dirname(src.file));
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // A problem with the model reference itself (not inside the model file) is located at `model:`.
    const located = e.diagnostics.map((d) =>
      d.path === 'model' && !d.location?.line ? { ...d, location: src.locate(['model']) } : d,
    );
    throw new UserError([...shapeProblems, ...located]);
  }
  const checker = new ScenarioChecker(src, file, model, failed, shapeProblems);
  try {
    return checker.build(options.overrides);
  } catch (e) {
    // Checks of meaning on a partial file that trip over a part left out must not turn the file's
    // shape problems into an internal error: report those alone.
    if (value || e instanceof UserError) throw e;
    throw new UserError(shapeProblems);
  }
}

/**
 * A scenario with problems, carrying what its uncertainties are checked against (the model, the
 * file), so that `validate`, `mc` and `sweep` report the uncertainties' problems together with it.
 */
export class ScenarioError extends UserError {
  constructor(
    diagnostics: readonly Diagnostic[],
    readonly partial: Pick<Scenario, 'file' | 'source' | 'raw' | 'model'>,
  ) {
    super(diagnostics);
  }
}

class ScenarioChecker {
  private horizonKnown = true;
  private readonly problems: Problems;
  constructor(
    private readonly src: YamlSource,
    private readonly file: ScenarioFile,
    private readonly model: CompiledModel,
    /** Top-level fields that are not well-formed (already reported): checks depending on them are skipped. */
    private readonly failed: ReadonlySet<string> = new Set(),
    /** Problems already found (the file's shape), reported with the ones found here. */
    private readonly earlier: readonly Diagnostic[] = [],
  ) {
    this.problems = new Problems(src);
  }

  build(overrides: Overrides | undefined): Scenario {
    const { model, file } = this;
    const start = file.horizon?.start ?? model.baseYear;
    // Without a horizon: from the base year to 2035, or 20 years for a model that starts later.
    const end = file.horizon?.end ?? Math.max(DEFAULT_HORIZON_END, start + 20);
    if (file.horizon) {
      if (start < model.baseYear)
        this.problems.at(
          ['horizon', 'start'],
          `must not be before the model's base year ${model.baseYear} (got ${start})`,
        );
      if (end <= start) this.problems.at(['horizon', 'end'], `horizon end (${end}) must be after its start (${start})`);
      if (end > model.baseYear + MAX_HORIZON_YEARS)
        this.problems.at(
          ['horizon', 'end'],
          `must be at most ${model.baseYear + MAX_HORIZON_YEARS}, ${MAX_HORIZON_YEARS} years after the model's base year (got ${end})`,
        );
    }
    // Arrays are sized by the horizon: size them only for one within the bounds checked above.
    const horizonOk = end > start && start >= model.baseYear && end <= model.baseYear + MAX_HORIZON_YEARS;
    // Years are checked against the horizon only when it is well-formed and forwards (else: noise).
    this.horizonKnown = horizonOk && !this.failed.has('horizon');
    const years = horizonOk ? end - model.baseYear + 1 : 1;

    const params = model.defaultParams();
    const appliedOverrides: Override[] = [];
    for (const [name, v] of Object.entries(file.parameters))
      this.setParameter(params, name, v, ['parameters', name], appliedOverrides);

    const levers = defaultLevers(model, years);
    for (const [name, entry] of Object.entries(file.levers))
      this.setLever(levers, name, entry, ['levers', name], start, end);

    const targets = file.targets
      .map((t, i) => (t === undefined ? undefined : this.target(t, i, start, end)))
      .filter((t): t is Target => t !== undefined);

    if (this.problems.count > 0 || this.earlier.length > 0)
      throw new ScenarioError(sortDiagnostics([...this.earlier, ...this.problems.diagnostics]), {
        file: this.src.file,
        source: this.src,
        raw: file,
        model,
      });
    // Checked against the model now that the file is (every bad one at once), then applied in order.
    for (const o of resolveOverrides(overrides, model))
      appliedOverrides.push(applyOverride(model, o, params, levers, start));

    return {
      name: file.name,
      description: file.description,
      file: this.src.file,
      model,
      horizon: { start, end },
      seed: file.seed,
      params,
      levers,
      targets,
      overrides: appliedOverrides,
      raw: file,
      source: this.src,
    };
  }

  private setParameter(
    params: Float64Array,
    name: string,
    v: number | Record<string, number>,
    path: PathKey[],
    applied: Override[],
  ): void {
    const { model } = this;
    const p = model.parameters.find((q) => q.name === name);
    if (!p) {
      const lever = model.levers.find((l) => l.name === name);
      this.problems.atKey(
        path,
        `unknown parameter '${name}'`,
        lever
          ? `'${name}' is a lever: set it under levers:`
          : didYouMean(
              name,
              model.parameters.map((q) => q.name),
            ),
      );
      return;
    }
    const inRange = (x: number, at: PathKey[]): boolean => {
      if (x < p.range[0] || x > p.range[1]) {
        this.problems.at(at, `value ${x} is outside the range of '${name}' [${p.range[0]}, ${p.range[1]}] (${p.unit})`);
        return false;
      }
      return true;
    };
    if (typeof v === 'number') {
      if (!inRange(v, path)) return;
      const n = p.scope === 'global' ? 1 : model.regions.length;
      for (let k = 0; k < n; k++) params[p.offset + k] = v;
      applied.push({ name, value: v });
      return;
    }
    if (p.scope === 'global') {
      this.problems.at(path, `'${name}' is one value for all regions; give a number, not a value per region`);
      return;
    }
    // The rule of levers, --set and sweep factors: an aggregate stands for its provinces, each set once.
    const claimed = new Map<number, PathKey[]>();
    for (const [rid, x] of Object.entries(v)) {
      const members = regionMembers(model, rid);
      if (!members) {
        this.problems.atKey([...path, rid], `unknown region '${rid}'`, didYouMean(rid, settableRegionIds(model)));
        continue;
      }
      if (!inRange(x, [...path, rid])) continue;
      for (const r of members) {
        const prior = claimed.get(r);
        if (prior) {
          this.problems.atKey(
            [...path, rid],
            `region '${model.regions[r]!.id}' is already set for '${name}' at ${pathString(prior)}`,
          );
          continue;
        }
        claimed.set(r, [...path, rid]);
        params[p.offset + r] = x;
      }
      applied.push({ name, region: rid, value: x });
    }
  }

  private setLever(
    levers: Float64Array,
    name: string,
    entry: ScenarioFile['levers'][string],
    path: PathKey[],
    start: number,
    end: number,
  ): void {
    const { model } = this;
    const lever = model.levers.find((l) => l.name === name);
    if (!lever) {
      const param = model.parameters.find((p) => p.name === name);
      this.problems.atKey(
        path,
        `unknown lever '${name}'`,
        param
          ? `'${name}' is a parameter: set it under parameters:`
          : didYouMean(
              name,
              model.levers.map((l) => l.name),
            ),
      );
      return;
    }
    const regionIds = model.regions.map((r) => r.id);
    // The base year is data, never simulated: a setting without `from` starts in the first projected year.
    const firstActive = this.horizonKnown ? Math.max(start, model.baseYear + 1) : model.baseYear + 1;
    const list: { setting: number | StepSetting | PathSetting; path: PathKey[] }[] = Array.isArray(entry)
      ? entry.map((s, i) => ({ setting: s, path: [...path, i] }))
      : [{ setting: entry, path }];
    const claimed = new Map<number, PathKey[]>();
    const inRange = (x: number, at: PathKey[]): void => {
      if (x < lever.range[0] || x > lever.range[1])
        this.problems.at(
          at,
          `value ${x} is outside the range of lever '${name}' [${lever.range[0]}, ${lever.range[1]}] (${lever.unit})`,
        );
    };
    const inHorizon = (y: number, at: PathKey[]): boolean => {
      if (!this.horizonKnown) return true;
      if (y < start || y > end) {
        this.problems.at(at, `year ${y} is outside the horizon ${start}-${end}`);
        return false;
      }
      return true;
    };
    for (const { setting, path: at } of list) {
      let regions = regionIds.map((_, i) => i);
      if (typeof setting !== 'number') {
        if (setting.regions) {
          if (!lever.perRegion)
            this.problems.at(
              [...at, 'regions'],
              `lever '${name}' applies to all regions alike and cannot be set per region`,
            );
          regions = [];
          setting.regions.forEach((rid, k) => {
            const members = regionMembers(model, rid);
            if (members) for (const m of members) regions.push(m);
            else
              this.problems.at(
                [...at, 'regions', k],
                `unknown region '${rid}'`,
                didYouMean(rid, settableRegionIds(model)),
              );
          });
        }
        if ('path' in setting) {
          for (const [y, v] of Object.entries(setting.path)) {
            inHorizon(Number(y), [...at, 'path', y]);
            inRange(v, [...at, 'path', y]);
          }
        } else {
          if (setting.from !== undefined && inHorizon(setting.from, [...at, 'from']) && setting.from < firstActive) {
            this.problems.at(
              [...at, 'from'],
              `${setting.from} is the base year, whose values are data: a lever can start in ${firstActive} at the earliest`,
            );
          }
          inRange(setting.value, [...at, 'value']);
        }
      } else inRange(setting, at);
      for (const r of regions) {
        const prior = claimed.get(r);
        if (prior) {
          this.problems.at(at, `region '${regionIds[r]}' is already set for lever '${name}' at ${pathString(prior)}`);
          continue;
        }
        claimed.set(r, at);
        writeLeverPath(levers, model, lever, r, setting, firstActive);
      }
    }
  }

  private target(t: ScenarioFile['targets'][number], i: number, start: number, end: number): Target | undefined {
    const { model } = this;
    const path: PathKey[] = ['targets', i];
    const indicators = model.indicators.map((x) => x.name);
    const regionsAll = seriesRegionIds(model);
    let ok = true;
    const series = checkSeriesRef(
      model,
      { indicator: t.indicator, region: t.region, ...(this.horizonKnown ? { year: t.year } : {}) },
      {
        indicator: [...path, 'indicator'],
        region: [...path, 'region'],
        year: [...path, 'year'],
        series: [...path, 'region'],
      },
      { start, end },
      (p, message, hint) => {
        this.problems.at(p, message, hint);
        ok = false;
      },
    );
    let reference: Target['reference'] | undefined;
    if (typeof t.reference === 'number') reference = { kind: 'value', value: t.reference };
    else {
      const refRegion = typeof t.reference === 'string' ? t.reference : t.reference.region;
      const refIndicator = typeof t.reference === 'string' ? t.indicator : (t.reference.indicator ?? t.indicator);
      const refPath = typeof t.reference === 'string' ? [...path, 'reference'] : [...path, 'reference', 'region'];
      if (!regionsAll.includes(refRegion)) {
        this.problems.at(refPath, `unknown region '${refRegion}'`, didYouMean(refRegion, regionsAll));
        ok = false;
      } else if (
        typeof t.reference === 'object' &&
        t.reference.indicator !== undefined &&
        !indicators.includes(t.reference.indicator)
      ) {
        this.problems.at(
          [...path, 'reference', 'indicator'],
          `unknown indicator '${t.reference.indicator}'`,
          didYouMean(t.reference.indicator, indicators),
        );
        ok = false;
      } else if (ok) {
        const s = model.seriesIndex(refIndicator, refRegion);
        if (s === undefined) {
          this.problems.at(refPath, `indicator '${refIndicator}' has no series for '${refRegion}'`);
          ok = false;
        } else reference = { kind: 'series', indicator: refIndicator, region: refRegion, series: s };
      }
    }
    if (!ok || !reference || series === undefined) return undefined;
    const refText =
      reference.kind === 'value'
        ? String(reference.value)
        : `${reference.region} ${reference.indicator === t.indicator ? '' : `${reference.indicator} `}`.trim();
    return {
      name: t.name ?? `${t.indicator} ${t.region} ${t.direction === 'at_least' ? '>=' : '<='} ${refText} by ${t.year}`,
      indicator: t.indicator,
      region: t.region,
      year: t.year,
      series,
      reference,
      direction: t.direction,
    };
  }
}
