import { UserError } from '../util/diagnostics.js';
import type { YamlSource } from '../util/yaml-source.js';

export type FileKind = 'scenario' | 'sweep' | 'model' | 'uncertainties';

/**
 * What a YAML file is, told by its top-level keys (for `validate`, which takes any of them): keys that
 * only one kind of file has decide; a file with none of them is refused with what was expected,
 * rather than checked as the wrong kind (which gave one false error per key).
 */
const ONLY: readonly (readonly [FileKind, readonly string[]])[] = [
  ['model', ['base_year', 'states', 'indicators', 'globals', 'auxiliaries', 'regions', 'aggregates', 'title']],
  ['sweep', ['design', 'factors', 'outputs', 'scenario', 'samples', 'trajectories', 'monte_carlo', 'bootstrap']],
  ['uncertainties', ['shocks', 'correlation', 'include']],
  ['scenario', ['name', 'description', 'model', 'horizon', 'seed', 'levers', 'targets', 'uncertainties', 'observed']],
];

export function fileKind(src: YamlSource, file: string): FileKind {
  const data = src.data;
  const keys = data !== null && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : undefined;
  if (keys) {
    for (const [kind, only] of ONLY) {
      // `name`/`description` are shared by scenarios, sweeps and models: they decide only last.
      if (keys.some((k) => only.includes(k))) return kind;
    }
    // Only `parameters:` — distributions (with `dist:`) belong to an uncertainties file, numbers to a scenario.
    const params = (data as Record<string, unknown>).parameters;
    if (params !== null && typeof params === 'object') {
      const values = Object.values(params);
      if (values.length > 0 && values.every((v) => v !== null && typeof v === 'object' && 'dist' in v))
        return 'uncertainties';
      return 'scenario';
    }
  }
  throw new UserError({
    location: { file },
    path: '',
    message:
      'cannot tell what kind of file this is: expected a scenario (name, description, levers, targets), ' +
      'a sweep (scenario, design, factors, outputs), a model (base_year, regions, states, indicators) or ' +
      'an uncertainties file (parameters, shocks, correlation)',
  });
}
