import { cliOverrides, type Manifest, makeManifest, scenarioInputs } from '../manifest/manifest.js';
import { projectionGrid, seriesValues } from '../model/layout.js';
import type { Projection } from '../project/project-scenario.js';
import type { TargetVerdict } from '../project/targets.js';
import { type ObservedPointJson, type ObservedView, observedHeaderJson } from './observed-view.js';
import { modelLegend, NO_META, provenance, type ResultMeta } from './result-meta.js';

/** The scenario as run and mc JSON name it. */
export interface ScenarioHeaderJson {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly model: string;
  readonly horizon: { readonly start: number; readonly end: number };
}

/**
 * The stable, documented JSON of a deterministic run (README: "JSON output"). Other tools read it:
 * add fields, never rename or remove them without bumping `schema`.
 */
export interface RunResultJson {
  readonly schema: 'policysim.run/2';
  readonly scenario: ScenarioHeaderJson & {
    readonly overrides: readonly { name: string; region?: string; value: number }[];
  };
  readonly years: readonly number[];
  readonly series: readonly {
    readonly indicator: string;
    readonly region: string;
    readonly kind: 'region' | 'aggregate' | 'reference';
    readonly unit: string;
    readonly values: readonly number[];
    /** Observed values of this series (only when the scenario has observations). */
    readonly observed?: readonly ObservedPointJson[];
  }[];
  readonly targets: readonly TargetVerdict[];
  readonly observedFile?: string;
  /** Only for `run --mc-run K`: the random stream version of the replayed run's draws. */
  readonly randomStream?: string;
  /** Label, unit and decimals of each indicator; name of each region (reading order). */
  readonly indicators: readonly { name: string; label: string; unit: string; decimals: number }[];
  readonly regions: readonly { id: string; name: string; kind: 'aggregate' | 'region' | 'reference' }[];
  /** The command that computes this result (without output options), or null. */
  readonly command: string | null;
  readonly policysimVersion: string;
  /** What the run was computed from (src/manifest/): input hashes and versions. */
  readonly manifest: Manifest;
}

export function runResultJson(p: Projection, meta: ResultMeta = NO_META, observed?: ObservedView): RunResultJson {
  const { scenario } = p;
  const { model, horizon } = scenario;
  const years: number[] = [];
  for (let y = horizon.start; y <= horizon.end; y++) years.push(y);
  const units = new Map(model.indicators.map((i) => [i.name, i.unit]));
  return {
    schema: 'policysim.run/2',
    scenario: {
      name: scenario.name,
      description: scenario.description,
      file: scenario.file,
      model: model.origin,
      horizon: { ...horizon },
      overrides: scenario.overrides.map((o) => ({
        name: o.name,
        ...(o.region ? { region: o.region } : {}),
        value: o.value,
      })),
    },
    years,
    series: model.series.map((s) => ({
      indicator: s.indicator,
      region: s.region,
      kind: s.kind,
      unit: units.get(s.indicator) ?? '',
      values: seriesValues(p.values, projectionGrid(p), s.index, years),
      ...(observed ? { observed: observed.seriesJson(s.index) } : {}),
    })),
    targets: p.verdicts,
    ...observedHeaderJson(observed),
    ...(p.randomStream ? { randomStream: p.randomStream } : {}),
    ...modelLegend(model),
    ...provenance(meta),
    manifest: makeManifest({
      command: 'run',
      inputs: scenarioInputs(scenario),
      overrides: cliOverrides(scenario),
    }),
  };
}
