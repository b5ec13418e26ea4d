/**
 * The compiler in stages (src/model/compile/: declare → check → generate, and the uncertainty step that
 * regenerates a checked model's kernel with shock slots and drawn parameters): it generates exactly the
 * kernels the one-piece compiler did. tests/fixtures/kernels/sources.json holds the SHA-256 of every
 * generated source, layout and equation table for each model below plainly, with every parameter
 * drawn, and with every equation shocked as well: `kernels` (the straightforward and checked sources)
 * as recorded with the one-piece compiler before the split; `optimised` (the optimised kernel and its
 * layout) as re-recorded when the optimising pass last changed (issue 10: per-step sharing of powers
 * of drawn parameters, the per-year table's lever columns, fixed and computed series, the fused
 * projection; the fused loop reading parameters and hidden slots into locals once; the series fixed in
 * each year, fixedSeriesByYear), which left `kernels` as they were.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompiledModel } from '../../src/model/compiled-model.js';
import { loadModel } from '../../src/model/load-model.js';
import { shockableEquations } from '../../src/model/shockable.js';

const KERNEL_MODELS = [
  'builtin:northeast',
  'tests/fixtures/models/passes.yaml',
  'tests/fixtures/models/growth.yaml',
  'tests/fixtures/models/two-regions.yaml',
  'tests/fixtures/models/late-base-year.yaml',
  'tests/fixtures/models/domain.yaml',
  'tests/fixtures/models/aux-reverse-order.yaml',
  'tests/fixtures/models/compiler-names.yaml',
  'tests/fixtures/models/evil-names.yaml',
  'tests/fixtures/models/nonfinite.yaml',
  'tests/fixtures/models/nonfinite-log.yaml',
  'tests/fixtures/mc/models/closed-form.yaml',
  'tests/fixtures/sweep/models/ishigami.yaml',
  'tests/fixtures/sweep/models/g-function.yaml',
];

const sha = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** Everything the generation stage decides, by name. */
function fingerprint(m: CompiledModel): Record<string, string> {
  const { optimised, ...kernels } = m.sources;
  return {
    kernels: sha(kernels),
    optimised: sha(optimised),
    // Locations name the model file by its path here, relative so that any checkout gives the same.
    equations: sha(
      m.equations.map((e) =>
        e.location ? { ...e, location: { ...e.location, file: relative('.', e.location.file) } } : e,
      ),
    ),
    layout: sha([m.stateCount, m.paramCount, m.leverBlock, m.shockBlock, m.shockSlots, m.seriesCount]),
  };
}

/** The three ways a model is compiled: plain, for draws, and for draws and shocks. */
function variants(file: string): Record<string, CompiledModel> {
  const plain = loadModel(file);
  const drawn = plain.parameters.map((p) => p.name);
  const shocked = shockableEquations(plain.file).map((e) => e.name);
  return {
    plain,
    drawn: loadModel(file, process.cwd(), { drawn }),
    shocked: loadModel(file, process.cwd(), { drawn, shocked }),
  };
}

const recorded = JSON.parse(readFileSync('tests/fixtures/kernels/sources.json', 'utf8')) as Record<
  string,
  Record<string, Record<string, string>>
>;

describe('staged compiler', () => {
  for (const file of KERNEL_MODELS) {
    it(`${file}: generates the kernels recorded before the split`, () => {
      const got = Object.fromEntries(Object.entries(variants(file)).map(([k, m]) => [k, fingerprint(m)]));
      expect(got).toEqual(recorded[file]);
    });
  }
});
