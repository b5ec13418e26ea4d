/**
 * Determinism across worker counts: the CLI with --workers 0 (main thread), 1 and 2 (real piscina
 * pools in-process, on the built sweep worker; rows travel in several tasks and land by index) must
 * write byte-identical --format json, --format csv and --design-out, for a Sobol sweep
 * (tests/fixtures/sweep/det-sobol.yaml: 384 rows, 8 tasks with two workers) and a policy grid × Monte
 * Carlo (det-policy-grid.yaml: 9 rows × 40 futures, 5 tasks with two workers).
 *
 * Deterministic outputs (a target gap) next to Monte Carlo outputs in the same sweep must be the
 * projection without shocks, whatever row came before on the same thread: see the last test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectScenario } from '../../src/project/project-scenario.js';
import { scenarioFromSource } from '../../src/scenario/load-scenario.js';
import { parseYamlText } from '../../src/util/yaml-source.js';
import { type CliResult, cli } from '../cli/harness.js';
import { FIX, sweepInProcess, xRow, yAt } from '../fixtures/sweep/helpers.js';

const WORKERS = ['0', '1', '2'] as const;

/**
 * JSON, the analysis CSV and the raw design (--design-out) with each worker count.
 * `csv` holds the designs (file text as stdout); the analysis CSVs must already agree byte for byte.
 */
async function allOutputs(file: string): Promise<{ json: CliResult[]; csv: CliResult[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'policysim-det-'));
  try {
    const json: CliResult[] = [];
    const analyses: CliResult[] = [];
    for (const w of WORKERS) {
      json.push(await cli('sweep', file, '--workers', w, '--format', 'json'));
      analyses.push(
        await cli('sweep', file, '--workers', w, '--format', 'csv', '--design-out', join(dir, `w${w}.csv`)),
      );
    }
    for (const r of json) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
    for (const [i, r] of analyses.entries()) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe(`wrote ${join(dir, `w${WORKERS[i]}.csv`)}\n`);
      expect(r.stdout).toBe(analyses[0]!.stdout);
    }
    const designs = analyses.map((r, i) => ({ ...r, stdout: readFileSync(join(dir, `w${WORKERS[i]}.csv`), 'utf8') }));
    return { json, csv: designs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('byte-identical output for --workers 0, 1, 2', () => {
  it('Sobol sweep (det-sobol.yaml): json and csv', async () => {
    const file = `${FIX}/det-sobol.yaml`;
    const { json, csv } = await allOutputs(file);
    expect(json[1]!.stdout).toBe(json[0]!.stdout);
    expect(json[2]!.stdout).toBe(json[0]!.stdout);
    expect(csv[1]!.stdout).toBe(csv[0]!.stdout);
    expect(csv[2]!.stdout).toBe(csv[0]!.stdout);
    // Not vacuous: 384 evaluations with outputs that vary from row to row.
    const doc = JSON.parse(json[0]!.stdout) as { evaluations: number };
    expect(doc.evaluations).toBe(384);
    const gaps = new Set(
      csv[0]!.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').at(-1)),
    );
    expect(gaps.size).toBeGreaterThan(300);
  });

  it('policy grid × Monte Carlo (det-policy-grid.yaml): json and csv', async () => {
    const file = `${FIX}/det-policy-grid.yaml`;
    const { json, csv } = await allOutputs(file);
    expect(json[1]!.stdout).toBe(json[0]!.stdout);
    expect(json[2]!.stdout).toBe(json[0]!.stdout);
    expect(csv[1]!.stdout).toBe(csv[0]!.stdout);
    expect(csv[2]!.stdout).toBe(csv[0]!.stdout);
    const doc = JSON.parse(json[0]!.stdout) as { evaluations: number; monteCarlo: { runs: number; seed: number } };
    expect(doc.evaluations).toBe(9);
    expect(doc.monteCarlo).toEqual({ runs: 40, seed: 2016 });
    // Not vacuous: the probabilities differ across the grid and are not all 0 or 1.
    const rows = csv[0]!.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    const p2025 = rows.map((r) => r[4]!);
    expect(new Set(p2025).size).toBeGreaterThan(4);
    expect(p2025.some((p) => p > 0 && p < 1)).toBe(true);
  });
});

describe('deterministic outputs in a sweep with Monte Carlo futures', () => {
  it('are the projection without shocks in every row, not just the first row a thread evaluates', async () => {
    // det-policy-grid.yaml: outputs 0 and 1 are probabilities over 40 futures; output 2 is the 2030 gap
    // to the national average of the deterministic projection. Each row is checked against the scenario
    // with the row's lever settings from 2017, projected without shocks.
    const r = await sweepInProcess(`${FIX}/det-policy-grid.yaml`);
    const file = `${FIX}/trade-thresholds.yaml`;
    const text = readFileSync(file, 'utf8');
    const wrong: string[] = [];
    for (let i = 0; i < r.X.rows; i++) {
      const [ftz, openness] = xRow(r, i);
      const p = projectScenario(
        scenarioFromSource(
          parseYamlText(
            `${text}\nlevers:\n  ftz: { value: ${ftz}, from: 2017 }\n  openness: { value: ${openness}, from: 2017 }\n`,
            file,
          ),
        ),
      );
      const want = p.verdicts[2]!.gap;
      if (Math.abs(yAt(r, i, 2) - want) > 1e-12 * Math.max(1, Math.abs(want)))
        wrong.push(`row ${i} (ftz ${ftz}, openness ${openness}): sweep ${yAt(r, i, 2)}, projection ${want}`);
    }
    expect(wrong).toEqual([]);
  });
});
