import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/harness.js';

const FIX = 'tests/fixtures/evidence';
const tmp = mkdtempSync(join(tmpdir(), 'policysim-evidence-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('policysim backtest', () => {
  it('scores each observation after the base year against the same runs as policysim mc', async () => {
    const bt = await cli('backtest', `${FIX}/with-observed.yaml`, '--runs', '2000', '--format', 'json');
    expect(bt.code).toBe(0);
    const doc = JSON.parse(bt.stdout);
    expect(doc.schema).toBe('policysim.backtest/2');
    // x has no uncertainty in this scenario: every run gives the same value, nothing to grade.
    expect(doc.skipped).toEqual([
      { indicator: 'y', region: 'a', year: 2020, reason: 'base year' },
      { indicator: 'x', region: 'b', year: 2024, reason: 'fixed' },
    ]);
    expect(doc.observations.map((o: { region: string; year: number }) => `${o.region} ${o.year}`)).toEqual([
      'a 2022',
      'a 2025',
      'both 2025',
    ]);
    const ya = doc.series.find((s: { region: string }) => s.region === 'a');
    expect(ya.breaks).toEqual([{ indicator: 'y', region: 'a', year: 2025, from: 'old', to: 'revised 2026' }]);
    const mc = await cli('mc', `${FIX}/with-observed.yaml`, '--runs', '2000', '--workers', '0', '--format', 'json');
    const series = JSON.parse(mc.stdout).series.find(
      (s: { indicator: string; region: string }) => s.indicator === 'y' && s.region === 'a',
    );
    const i = 2025 - 2020;
    const obs = doc.observations.find((o: { region: string; year: number }) => o.region === 'a' && o.year === 2025);
    // Exact order statistics against the histogram's: within its stated resolution.
    for (const p of ['p5', 'p50', 'p95'])
      expect(Math.abs(obs[p] - series[p][i])).toBeLessThanOrEqual(series.resolution[i] * 1.0001);
    expect(series.observed).toEqual([
      { year: 2020, value: 100, basis: 'old' },
      { year: 2022, value: 105, sd: 1.5, basis: 'old', note: 'first estimate' },
      { year: 2025, value: 112, sd: 1.5, basis: 'revised 2026', note: 'after the revision' },
    ]);
  });

  it('is byte-identical for a seed, and the table names the verdict and the break', async () => {
    const a = await cli('backtest', `${FIX}/with-observed.yaml`, '--runs', '500', '--seed', '4');
    const b = await cli('backtest', `${FIX}/with-observed.yaml`, '--runs', '500', '--seed', '4');
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('statistical break in 2025: basis "old" -> "revised 2026"');
    expect(a.stdout).toMatch(/\nVerdict: bands (too narrow|about right|too wide) \(3 observations\)\.\n$/);
    expect(a.stdout).toContain('note: 3 observations cannot show a miscalibration unless it is gross');
  });

  it('refuses a scenario without observations or without uncertainties', async () => {
    expect(await cli('backtest', `${FIX}/posterior.yaml`)).toMatchObject({
      code: 2,
      stderr: 'policysim: error: --observed: no observations: give --observed FILE or set observed: in the scenario\n',
    });
    const r = await cli('backtest', `${FIX}/fit.yaml`, '--observed', `${FIX}/data/obs.csv`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `policysim: error: ${FIX}/fit.yaml: uncertainties: the scenario has no uncertainties, so every run is the same and there are no bands to grade\n`,
    );
  });

  it('runs the shipped hindcast', async () => {
    const r = await cli('backtest', 'scenarios/observed/hindcast.yaml', '--runs', '400');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Not scored: 1 observation(s) in the base year 2003 (data, not forecasts).');
    expect(r.stdout).toMatch(/\nVerdict: bands [a-z ]+ \(14 observations\)\.\n$/);
  });
});

describe('policysim calibrate', () => {
  it('fits the hindcast trade trend back to the paper rate from its two end points', async () => {
    const r = await cli(
      'calibrate',
      'scenarios/observed/hindcast.yaml',
      '--fit',
      'td_trend',
      '--no-posterior',
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('policysim.calibrate/2');
    const td = doc.fit.parameters[0];
    // (14.6 / 24.7)^(1/12) − 1 = −0.042869 (§2.3): one observation after 2003 fixes it exactly.
    expect(td.value).toBeCloseTo(-0.042869, 5);
    expect(td.identification).toBe('well identified');
    expect(doc.fit.degreesOfFreedom).toBe(0);
    expect(doc.fit.warnings[0]).toMatch(/^as many parameters as informative observations \(1\)/);
    expect(doc.posterior).toBeUndefined();
  });

  it('writes a posterior that policysim mc reads, with the joint rows intact', async () => {
    const post = join(tmp, 'posterior.yaml');
    // The same calibration twice, with and without --posterior-out.
    const calibrate = [
      'calibrate',
      `${FIX}/posterior.yaml`,
      '--observed',
      `${FIX}/data/obs.csv`,
      '--fit',
      'g',
      'd',
      '--runs',
      '3000',
      '--posterior-rows',
      '200',
    ];
    const r = await cli(...calibrate, '--posterior-out', post, '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.posterior.sampleRows).toBe(200);
    expect(doc.posterior.parameters.map((p: { label: string }) => p.label)).toEqual(['g', 'd']);
    const again = await cli(...calibrate, '--format', 'json');
    expect(JSON.parse(again.stdout).posterior).toEqual({ ...doc.posterior, file: undefined });
    const text = readFileSync(post, 'utf8');
    const g = /\n {2}g: \{ dist: empirical, joint: posterior, apply: replace, values: \[([^\]]*)\] \}/.exec(text)![1]!;
    const d = /\n {2}d: \{ dist: empirical, joint: posterior, apply: replace, values: \[([^\]]*)\] \}/.exec(text)![1]!;
    const rows = new Set(g.split(', ').map((x, k) => `${Number(x)},${Number(d.split(', ')[k])}`));
    const scenario = join(tmp, 'next.yaml');
    writeFileSync(
      scenario,
      `name: next\ndescription: the posterior as prior\nmodel: ${resolve(FIX, 'model.yaml')}\nhorizon: { start: 2020, end: 2030 }\nuncertainties: { include: posterior.yaml }\n`,
    );
    const runs = join(tmp, 'runs.csv');
    const mc = await cli('mc', scenario, '--runs', '300', '--workers', '0', '--save-runs', runs, '--format', 'json');
    expect(mc.code).toBe(0);
    const lines = readFileSync(runs, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('run,g,d');
    // Every run's (g, d) is one of the posterior's rows: the pairs, not just the marginals, survive.
    for (const line of lines.slice(1)) expect(rows.has(line.split(',').slice(1).join(','))).toBe(true);
  });

  it('--fit NAME.AGGREGATE fits one value shared by its regions, as --set NAME.AGGREGATE=V sets it', async () => {
    // x = x0 (1 + gr)^t with x0 = 100 (a), 50 (b): observations made with gr = 0.05 in both regions.
    const csv = join(tmp, 'shared-gr.csv');
    const x = (x0: number, t: number) => (x0 * 1.05 ** t).toFixed(9);
    writeFileSync(csv, `indicator,region,year,value\nx,a,2025,${x(100, 5)}\nx,b,2028,${x(50, 8)}\n`);
    const r = await cli('calibrate', `${FIX}/fit.yaml`, '--observed', csv, '--fit', 'gr.both', '--format', 'json');
    expect(r.stderr).toBe('');
    const fit = JSON.parse(r.stdout).fit;
    expect(fit.parameters.map((p: { label: string }) => p.label)).toEqual(['gr.both']);
    expect(fit.parameters[0].value).toBeCloseTo(0.05, 8);
    expect(fit.degreesOfFreedom).toBe(1);
    // An aggregate and one of its regions, or the parameter as a whole, would fit one value twice.
    const both = await cli('calibrate', `${FIX}/fit.yaml`, '--observed', csv, '--fit', 'gr.both', 'gr.a', 'gr');
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      "policysim: error: --fit gr.a: overlaps 'gr.both': a value is fitted once\n" +
        "policysim: error: --fit gr.a: 'gr.a' is given twice\n" +
        "policysim: error: --fit gr.b: overlaps 'gr.both': a value is fitted once\n",
    );
  });

  it('explains fit names it cannot use', async () => {
    const run = (...fit: string[]) =>
      cli('calibrate', `${FIX}/posterior.yaml`, '--observed', `${FIX}/data/obs.csv`, '--fit', ...fit);
    expect((await run('gg')).stderr).toBe("policysim: error: --fit gg: unknown parameter 'gg' (did you mean 'g'?)\n");
    expect((await run('g.a')).stderr).toBe(
      "policysim: error: --fit g.a: 'g' is one value for all regions; fit it as 'g'\n",
    );
    expect((await run('gr.c')).stderr).toBe("policysim: error: --fit gr.c: unknown region 'c' (did you mean 'a'?)\n");
    expect((await run('g', 'g')).stderr).toBe("policysim: error: --fit g: 'g' is given twice\n");
    // Every problem at once.
    expect((await run('gg', 'g.a', 'g')).stderr).toBe(
      "policysim: error: --fit gg: unknown parameter 'gg' (did you mean 'g'?)\n" +
        "policysim: error: --fit g.a: 'g' is one value for all regions; fit it as 'g'\n",
    );
  });
});

describe('observed values beside projections', () => {
  it('run, compare and mc add them to table, CSV and JSON only when there are observations', async () => {
    const table = await cli('run', `${FIX}/with-observed.yaml`, '--step', '5');
    expect(table.stdout).toContain('year  (units)  observed  (units)\n');
    expect(table.stdout).toContain('2025  115.612   112.000  110.408\n');
    expect(table.stdout).toContain('statistical break: y a from 2025, basis "old" -> "revised 2026"');
    const csv = await cli('run', `${FIX}/with-observed.yaml`, '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('scenario,indicator,region,kind,year,value,observed');
    expect(csv.stdout).toContain('\nwith-observed,y,a,region,2025,115.61212048000002,112\n');
    const plain = await cli('run', `${FIX}/fit.yaml`, '--format', 'json');
    expect(JSON.parse(plain.stdout).series[0].observed).toBeUndefined();
    const withFile = await cli('run', `${FIX}/fit.yaml`, '--observed', `${FIX}/data/obs.csv`, '--format', 'json');
    const doc = JSON.parse(withFile.stdout);
    expect(doc.observedFile).toBe(`${FIX}/data/obs.csv`);
    expect(
      doc.series.find((s: { indicator: string; region: string }) => s.indicator === 'x' && s.region === 'b').observed,
    ).toEqual([{ year: 2024, value: 55 }]);
    const cmp = await cli(
      'compare',
      `${FIX}/with-observed.yaml`,
      `${FIX}/fit.yaml`,
      '--indicators',
      'y',
      '--regions',
      'a',
      '--years',
      '2022',
      '2030',
      '--format',
      'json',
    );
    expect(JSON.parse(cmp.stdout).rows.map((r: { observed: number | null }) => r.observed)).toEqual([105, null]);
  });
});

describe('validate and observed files', () => {
  it('checks an observed CSV against --model, and a scenario together with its observed file', async () => {
    const ok = await cli('validate', `${FIX}/data/obs.csv`, '--model', `${FIX}/model.yaml`);
    expect(ok).toMatchObject({ code: 0, stdout: `${FIX}/data/obs.csv: ok (observed, against ${FIX}/model.yaml)\n` });
    const wrongModel = await cli('validate', `${FIX}/data/obs.csv`);
    expect(wrongModel.code).toBe(2);
    expect(wrongModel.stderr.split('\n').slice(0, 2)).toEqual([
      `${FIX}/data/obs.csv:2:1: indicator: unknown indicator "y"`,
      `${FIX}/data/obs.csv:2:3: region: unknown region "a"`,
    ]);
    const scenario = await cli('validate', `${FIX}/with-observed.yaml`);
    expect(scenario).toMatchObject({ code: 0, stdout: `${FIX}/with-observed.yaml: ok (scenario)\n` });
  });

  it("reports a scenario's uncertainty problems and its observed file's together", async () => {
    const lines = (await cli('validate', `${FIX}/bad/both.yaml`)).stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `${FIX}/bad/both.yaml:8:40: uncertainties.parameters.g.sd: standard deviation must be > 0 (got -1)`,
    );
    expect(lines.slice(1, 3)).toEqual([
      `${FIX}/bad/many.csv:2:1: indicator: unknown indicator "yy" (did you mean 'y'?)`,
      `${FIX}/bad/many.csv:3:3: region: unknown region "c" (did you mean 'a'?)`,
    ]);
    expect(lines).toHaveLength(12);
    // backtest and mc check them the same way, before any run.
    for (const cmd of ['backtest', 'mc']) {
      const r = await cli(cmd, `${FIX}/bad/both.yaml`, ...(cmd === 'mc' ? ['--workers', '0'] : []));
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toEqual(lines.slice(0, 11).map((l) => `policysim: error: ${l}`));
    }
  });
});

describe('observed points in the HTML report', () => {
  /** The observed points of each chart: the aria labels of the symbols in its observed mark groups. */
  function observedPoints(html: string): string[][] {
    const groups = [...html.matchAll(/class="mark-symbol role-mark observed(?:_\d+)?_marks"[^>]*>(.*?)<\/g>/g)];
    return groups.map((g) => [...g[1]!.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]!));
  }

  it('run and mc draw each observed value on its line or fan chart, from the JSON alone too', async () => {
    const run = join(tmp, 'run.html');
    expect((await cli('run', `${FIX}/with-observed.yaml`, '--out', run)).code).toBe(0);
    const html = readFileSync(run, 'utf8');
    // Chart y: y a 2020, 2022, 2025 and y both 2025; chart x: x b 2024.
    expect(observedPoints(html)).toEqual([
      ['year: 2020; value: 100', 'year: 2022; value: 105', 'year: 2025; value: 112', 'year: 2025; value: 170'],
      ['year: 2024; value: 55'],
    ]);
    expect(html).toContain('Black dots: observed values (the observed file).');
    const json = join(tmp, 'run.json');
    await cli('run', `${FIX}/with-observed.yaml`, '--out', json);
    const again = join(tmp, 'again.html');
    expect((await cli('report', json, '--out', again)).code).toBe(0);
    expect(observedPoints(readFileSync(again, 'utf8'))).toEqual(observedPoints(html));

    const mc = join(tmp, 'mc.html');
    expect((await cli('mc', `${FIX}/with-observed.yaml`, '--runs', '200', '--workers', '0', '--out', mc)).code).toBe(0);
    // One fan panel per region and aggregate: y both, y a (then x b, where x has observations too).
    expect(observedPoints(readFileSync(mc, 'utf8'))).toEqual([
      ['year: 2025; value: 170'],
      ['year: 2020; value: 100', 'year: 2022; value: 105', 'year: 2025; value: 112'],
      ['year: 2024; value: 55'],
    ]);
    // A paired comparison takes no observed file.
    expect(
      await cli('mc', `${FIX}/with-observed.yaml`, `${FIX}/fit.yaml`, '--observed', `${FIX}/data/obs.csv`),
    ).toMatchObject({
      code: 2,
      stderr: 'policysim: error: --observed: applies to one scenario (not to a paired comparison)\n',
    });
    const plain = join(tmp, 'plain.html');
    await cli('run', `${FIX}/fit.yaml`, '--out', plain);
    expect(observedPoints(readFileSync(plain, 'utf8'))).toEqual([]);
  });
});
