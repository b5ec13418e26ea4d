import { cellIndex, projectionGrid } from '../model/layout.js';
import { defaultLevers } from '../scenario/lever-path.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Diagnostic } from '../util/diagnostics.js';
import { Projector } from './projector.js';

/**
 * A numeric target reference is read in the indicator's unit, with nothing to say it was meant so:
 * `reference: 0.20` for a trade dependence in percent (meant as 20%) is "reached" by a wide margin.
 * This flags a number that lies outside the values the indicator takes in the model's baseline
 * projection (its own parameters, every lever off, over the scenario's years, in every province,
 * aggregate and the reference) by more than an order of magnitude. A warning, not an error: an
 * ambitious target can be far from the baseline.
 */
export const PLAUSIBILITY_FACTOR = 10;

export function referenceWarnings(scenario: Scenario): Diagnostic[] {
  const numeric = scenario.targets.map((t, i) => ({ t, i })).filter(({ t }) => t.reference.kind === 'value');
  if (numeric.length === 0) return [];
  const { model, horizon } = scenario;
  const levers = defaultLevers(model, scenario.levers.length / Math.max(1, model.leverBlock));
  let out: Float64Array;
  try {
    out = new Projector(model, horizon.end).run(model.defaultParams(), levers);
  } catch {
    return []; // a baseline that fails says nothing about the reference (the run itself will report it)
  }
  const grid = projectionGrid(model);
  const warnings: Diagnostic[] = [];
  for (const { t, i } of numeric) {
    const ref = (t.reference as { value: number }).value;
    const series = model.series.filter((s) => s.indicator === t.indicator).map((s) => s.index);
    let lo = Infinity;
    let hi = -Infinity;
    for (let y = horizon.start; y <= horizon.end; y++)
      for (const s of series) {
        const v = out[cellIndex(grid, y, s)]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    if (!(Number.isFinite(lo) && Number.isFinite(hi))) continue;
    const span = Math.max(Math.abs(lo), Math.abs(hi));
    if (span === 0) continue; // a baseline that is zero throughout gives no scale to judge by
    // For a positive indicator, an order of magnitude below its smallest value is as suspect as one above.
    const far = Math.abs(ref) > PLAUSIBILITY_FACTOR * span || (lo > 0 && ref < lo / PLAUSIBILITY_FACTOR);
    if (!far) continue;
    const ind = model.indicators.find((x) => x.name === t.indicator)!;
    const unit = ind.unit === '' ? 'no unit' : `'${ind.unit}'`;
    const asPercent = ref * 100;
    const hint =
      ind.unit.startsWith('%') && asPercent >= lo / PLAUSIBILITY_FACTOR && asPercent <= hi * PLAUSIBILITY_FACTOR
        ? `the indicator is in percent: did you mean ${Number(asPercent.toPrecision(6))}?`
        : undefined;
    warnings.push({
      location: scenario.source.locate(['targets', i, 'reference']),
      path: `targets[${i}].reference`,
      message:
        `${ref} is far outside the values '${t.indicator}' takes in the baseline projection ` +
        `(${round(lo)} to ${round(hi)}, ${horizon.start}-${horizon.end}); the reference is read in the indicator's unit, ${unit}`,
      ...(hint ? { hint } : {}),
    });
  }
  return warnings;
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
