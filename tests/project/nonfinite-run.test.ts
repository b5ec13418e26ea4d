/**
 * An equation that yields NaN or ±Infinity during a run is reported as a user error naming the
 * equation, the region and the year — never as a silent NaN in the output.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load-model.js';
import { projectScenario } from '../../src/project/project-scenario.js';
import { type NonFiniteRun, Projector } from '../../src/project/projector.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { formatDiagnostic, RunError } from '../../src/util/diagnostics.js';
import { nonFiniteRun } from '../fixtures/project/helpers.js';

const runError = (file: string): NonFiniteRun => nonFiniteRun(loadScenario(file));

describe('non-finite values during a run', () => {
  it('a division by a state that reaches 0: Region B, 2023, auxiliaries.per_unit, Infinity', () => {
    // stock: Region A 3, 2, 1, 0 (2023); Region B 2, 1, 0 (2022) → 1/stock in the step into 2023 is 1/0 for B first
    const e = runError('tests/fixtures/scenarios/nonfinite.yaml');
    // A failure while running (exit 1), not bad input.
    expect(e).toBeInstanceOf(RunError);
    expect(e.equation).toBe('auxiliaries.per_unit');
    expect(e.region).toBe('Region B');
    expect(e.year).toBe(2023);
    expect(e.value).toBe(Infinity);
    expect(e.diagnostics.map(formatDiagnostic)).toEqual([
      `${resolve('tests/fixtures/models/nonfinite.yaml')}:10:13: auxiliaries.per_unit: equation gave Infinity for Region B in 2023 (check divisions by zero, logs of non-positive numbers and parameter values)`,
    ]);
  });

  it('the log of a state that turns negative: Region A, 2023, indicators.log_level, NaN', () => {
    // level: Region A 2.5, 1.5, 0.5, -0.5 (2023); Region B stays positive until 2025
    const e = runError('tests/fixtures/scenarios/nonfinite-log.yaml');
    expect(e.equation).toBe('indicators.log_level');
    expect(e.region).toBe('Region A');
    expect(e.year).toBe(2023);
    expect(e.value).toBeNaN();
    expect(e.message).toBe(
      `${resolve('tests/fixtures/models/nonfinite-log.yaml')}:16:54: indicators.log_level: equation gave NaN for Region A in 2023 (check divisions by zero, logs of non-positive numbers and parameter values)`,
    );
  });

  it('huge finite values are not a failure (the check sums the cells, and a sum that overflows is looked at cell by cell)', () => {
    const m = loadModel('tests/fixtures/models/growth.yaml');
    const P = m.defaultParams();
    const slot = (name: string): number => m.parameters.find((p) => p.name === name)!.offset;
    P[slot('x0')] = 1e307;
    P[slot('x_growth')] = 0;
    const projector = new Projector(m, 2040);
    const out = projector.run(P, new Float64Array(21 * m.leverBlock));
    const x = m.series.findIndex((s) => s.indicator === 'x');
    expect(out[20 * m.seriesCount + x]).toBe(1e307);
    // A tenfold growth from there is Infinity in 2022: still found, at its equation and year.
    P[slot('x_growth')] = 9;
    expect(() => projector.run(P, new Float64Array(21 * m.leverBlock))).toThrow(
      /states\.x\.next: equation gave Infinity for Region A in 2022/,
    );
  });

  it('a horizon that ends before the failing year runs cleanly', () => {
    const s = loadScenario('tests/fixtures/scenarios/nonfinite.yaml');
    const short = { ...s, horizon: { start: 2020, end: 2022 } };
    const p = projectScenario(short);
    // total = Σ 1/stock over the steps into 2021, 2022: Region A 1/3 + 1/2, Region B 1/2 + 1/1
    const total = p.scenario.model.seriesIndex('total', 'b')!;
    expect(p.values[2 * p.seriesCount + total]).toBeCloseTo(1.5, 12);
    const totalA = p.scenario.model.seriesIndex('total', 'a')!;
    expect(p.values[2 * p.seriesCount + totalA]).toBeCloseTo(1 / 3 + 1 / 2, 12);
  });
});
