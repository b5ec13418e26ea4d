/**
 * The report's charts of issue 13's results (discover, seek, paired mc): the data in each Vega-Lite
 * specification are the numbers of the JSON result (read back from `--format json`), checked against
 * values computed here from the JSON's own fields or by hand; and the report written by `--out
 * x.html` is the one `policysim report x.json` makes, self-contained.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsOf } from '../../../src/report/html/report.js';
import type { DiscoverDoc, PairedDoc, ResultDoc, SeekDoc } from '../../../src/report/html/result-docs.js';
import { parseResultDocs } from '../../../src/report/html/result-docs.js';
import type { Chart } from '../../../src/report/html/theme.js';
import { wilsonInterval, Z95 } from '../../../src/util/wilson.js';
import { cli } from '../../cli/harness.js';
import { RESULTS, resultJson } from '../../fixtures/report/results.js';
import { layerData } from './spec-data.js';

const KINDS = ['discover', 'seek', 'seekProbability', 'paired'] as const;
type Kind = (typeof KINDS)[number];
const json: Partial<Record<Kind, string>> = {};
const docs: Partial<Record<Kind, ResultDoc>> = {};
const charts: Partial<Record<Kind, Chart[]>> = {};
let dir: string;
const epoch = process.env.SOURCE_DATE_EPOCH;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'policysim-decision-report-'));
  // A fixed date: the same result gives the same bytes, from the command and from its JSON.
  process.env.SOURCE_DATE_EPOCH = '1767225600';
  for (const kind of KINDS) {
    json[kind] = await resultJson(kind);
    docs[kind] = parseResultDocs(json[kind], `${kind}.json`)[0]!;
    charts[kind] = chartsOf(docs[kind], 'r1');
  }
}, 120_000);

afterAll(() => {
  if (epoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
  else process.env.SOURCE_DATE_EPOCH = epoch;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const chart = (kind: Kind, id: string): Chart => {
  const c = charts[kind]!.find((x) => x.id === id);
  if (!c) throw new Error(`no chart ${id}; have ${charts[kind]!.map((x) => x.id).join(', ')}`);
  return c;
};

describe('discover: the trade-off curve and the box limits', () => {
  const doc = () => docs.discover as DiscoverDoc;

  it('one point per box of the peeling, at its coverage and density, with the number of inputs it restricts', () => {
    const d = doc();
    expect(d.curve.length).toBeGreaterThan(20);
    const rows = layerData(chart('discover', 'r1-discover-tradeoff').spec, 'peels');
    expect(rows).toEqual(
      d.curve.map((b) => ({
        box: b.box,
        coverage: b.coverage,
        density: b.density,
        mass: b.mass,
        restricted: b.restricted.length,
        chosen: b.box === d.chosenBox,
      })),
    );
    // Box 0 holds every run: coverage 1 at the base rate, nothing restricted.
    expect(rows[0]).toMatchObject({ coverage: 1, density: d.runsReached / d.runs, mass: 1, restricted: 0 });
    // Peeling only shrinks the box: the count of restricted inputs never falls along the curve.
    const counts = rows.map((r) => r.restricted as number);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBeGreaterThan(1);
    // The labels: the count where it changes (first and last always; others unless on top of a neighbour).
    const labels = layerData(chart('discover', 'r1-discover-tradeoff').spec, 'restricted_labels');
    const changes = rows.filter((r, i) => i === 0 || r.restricted !== rows[i - 1]!.restricted);
    expect(labels[0]).toEqual(rows[0]);
    expect(labels.at(-1)).toEqual(changes.at(-1));
    for (const l of labels) expect(changes).toContainEqual(l);
    expect(labels.length).toBeGreaterThanOrEqual(4);
  });

  it('marks the chosen box of the curve, and the reported box after pasting, each at its own numbers', () => {
    const d = doc();
    const spec = chart('discover', 'r1-discover-tradeoff').spec;
    const chosen = layerData(spec, 'chosen_mark');
    expect(chosen).toHaveLength(1);
    expect(chosen[0]).toMatchObject({
      box: d.chosenBox,
      coverage: d.curve[d.chosenBox]!.coverage,
      density: d.curve[d.chosenBox]!.density,
      label: `box ${d.chosenBox} chosen`,
    });
    // The reported box: the densest with coverage >= 0.5 (the default), pasted and tested.
    expect(d.curve[d.chosenBox]!.coverage).toBeGreaterThanOrEqual(0.5);
    const restricted = d.box.limits.filter((l) => l.lower !== null || l.upper !== null);
    expect(layerData(spec, 'reported_mark')).toEqual([
      {
        coverage: d.box.coverage,
        density: d.box.density,
        restricted: restricted.length,
        label: `reported box (${restricted.length} inputs restricted)`,
      },
    ]);
    expect(d.box.density).toBeCloseTo(d.box.runsReached / d.box.runs, 15);
  });

  it('one interval per uncertain input on its runs’ range; unrestricted inputs span it and say so', () => {
    const d = doc();
    const rows = layerData(chart('discover', 'r1-discover-limits').spec, 'range');
    expect(rows.map((r) => r.parameter)).toEqual(d.box.limits.map((l) => l.parameter));
    expect(rows).toHaveLength(18);
    let restricted = 0;
    d.box.limits.forEach((l, j) => {
      const r = rows[j]!;
      expect([r.min, r.max, r.lower, r.upper]).toEqual([l.min, l.max, l.lower, l.upper]);
      const span = l.max - l.min;
      expect(r.from).toBeCloseTo(l.lower === null ? 0 : (l.lower - l.min) / span, 12);
      expect(r.to).toBeCloseTo(l.upper === null ? 1 : (l.upper - l.min) / span, 12);
      if (l.lower === null && l.upper === null) {
        expect(r.restricted).toBe(false);
        expect(r.label).toMatch(/^unrestricted \(/);
        // The sentence names only the restricted inputs.
        expect(d.sentence).not.toContain(`${l.parameter} `);
      } else {
        restricted++;
        expect(r.restricted).toBe(true);
        expect(d.sentence).toContain(l.parameter);
      }
    });
    expect(restricted).toBeGreaterThanOrEqual(2);
    // Each restricted input's limits as the terminal table prints them (four significant digits).
    const g = (v: unknown) => String(Number((v as number).toPrecision(4)));
    for (const r of rows.filter((x) => x.restricted))
      expect(r.label).toBe(
        r.lower !== null && r.upper !== null
          ? `${g(r.lower)} to ${g(r.upper)}`
          : r.lower !== null
            ? `≥ ${g(r.lower)} (max ${g(r.max)})`
            : `≤ ${g(r.upper)} (min ${g(r.min)})`,
      );
    // The scenario sets the free trade zone at full strength: its trade effect must be strong (a lower limit).
    const ftz = rows.find((r) => r.parameter === 'ftz_trade')!;
    expect(ftz.restricted).toBe(true);
    expect(ftz.lower as number).toBeGreaterThan(ftz.min as number);
    expect(ftz.label).toBe(`≥ ${g(ftz.lower)} (max ${g(ftz.max)})`);
  });
});

describe('seek: the target measure against the setting, with the threshold', () => {
  it('deterministic, on the linear fixture: x = 10 * push at every setting, threshold 5, the answer at 0.5', () => {
    const d = docs.seek as SeekDoc;
    const spec = chart('seek', 'r1-seek').spec;
    const rows = layerData(spec, 'probes');
    expect(rows).toEqual(
      d.probes.map((p) => ({
        x: p.x,
        met: p.met ? 'meets the target' : 'does not',
        y: p.value,
        low: null,
        high: null,
        threshold: p.reference,
      })),
    );
    expect(rows.length).toBeGreaterThan(8);
    for (const r of rows) {
      expect(r.y as number).toBeCloseTo(10 * (r.x as number), 12);
      expect(r.threshold).toBe(5);
      expect(r.met).toBe((r.x as number) >= 0.5 ? 'meets the target' : 'does not');
    }
    expect(layerData(spec, 'answer_mark')).toEqual([{ x: 0.5, y: 5, label: 'answer: 0.500' }]);
    expect(layerData(spec, 'threshold_label')[0]!.label).toBe('reference: 5.0000 (at least)');
  });

  it('with a probability: each setting’s share of futures and its Wilson interval; the threshold is P', () => {
    const d = docs.seekProbability as SeekDoc;
    const spec = chart('seekProbability', 'r1-seek').spec;
    const rows = layerData(spec, 'probes');
    expect(rows).toHaveLength(d.probes.length);
    rows.forEach((r, i) => {
      const p = d.probes[i]!;
      const w = wilsonInterval(p.runsReached!, 300);
      expect(r).toEqual({
        x: p.x,
        met: p.probability! >= 0.15 ? 'meets the target' : 'does not',
        y: p.runsReached! / 300,
        low: w.low,
        high: w.high,
        threshold: 0.15,
      });
    });
    expect(d.status).toBe('met');
    expect(layerData(spec, 'answer_mark')).toEqual([
      { x: d.answer!.x, y: d.answer!.probability, label: `answer: ${d.answer!.x.toFixed(3)} (15.0%)` },
    ]);
    expect(d.answer!.runsReached).toBeGreaterThanOrEqual(45);
  });
});

describe('paired mc: probabilities on the same futures, and the differences from the first', () => {
  it('a chart per target: each scenario’s probability and the Wilson interval of its runs reached', () => {
    const d = docs.paired as PairedDoc;
    expect(d.targets).toHaveLength(3);
    d.targets.forEach((t, k) => {
      const rows = layerData(chart('paired', `r1-paired-target-${k + 1}`).spec, 'probability');
      expect(rows.map((r) => [r.scenario, r.probability, r.low, r.high, r.better])).toEqual(
        t.scenarios.map((s, i) => {
          const w = wilsonInterval(s.runsReached, 500);
          return [s.scenario, s.runsReached / 500, w.low, w.high, i === 0 ? null : s.probabilityBetterThanFirst];
        }),
      );
    });
    // The 2020 target: no run reaches it; the Wilson interval of 0 of n is [0, z²/(n + z²)].
    const r2020 = layerData(chart('paired', 'r1-paired-target-1').spec, 'probability');
    expect(r2020[0]).toMatchObject({ probability: 0, low: 0 });
    expect(r2020[0]!.high as number).toBeCloseTo((Z95 * Z95) / (500 + Z95 * Z95), 14);
    expect(r2020[0]!.label).toBe('0.0% [0.0%, 0.8%]');
  });

  it('a difference chart per indicator: each later scenario’s p5..p95, median and mean per region and year', () => {
    const d = docs.paired as PairedDoc;
    const rows = layerData(chart('paired', 'r1-paired-diff-trade_dependence').spec, 'spread90');
    const want = d.differences
      .filter((x) => x.indicator === 'trade_dependence')
      .map((x) => {
        const s = x.scenarios[1]!;
        return {
          row: `Northeast ${x.year}`,
          scenario: 'ftz-openness-2025',
          region: 'northeast',
          year: x.year,
          mean: s.mean,
          p5: s.p5,
          p25: s.p25,
          p50: s.p50,
          p75: s.p75,
          p95: s.p95,
        };
      });
    expect(want.map((w) => w.year)).toEqual([2020, 2025, 2030]);
    expect(rows).toEqual(want);
    // The first scenario against itself is exactly 0 in every future: not drawn.
    for (const x of d.differences) expect(Object.values(x.scenarios[0]!).slice(1)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // The pair of levers adds trade dependence in most futures: the 5th percentile is already above 0.
    for (const w of want) expect(w.p5).toBeGreaterThan(0);
  });
});

describe('the reports', () => {
  it('--out x.html writes the bytes `policysim report x.json` writes: one self-contained page', async () => {
    for (const kind of KINDS) {
      const direct = join(dir, `${kind}.html`);
      const r = await cli(...RESULTS[kind], '--out', direct);
      expect(r.code, r.stderr).toBe(0);
      writeFileSync(join(dir, `${kind}.json`), json[kind]!);
      const viaJson = await cli('report', join(dir, `${kind}.json`));
      expect(viaJson.code, viaJson.stderr).toBe(0);
      const html = readFileSync(direct, 'utf8');
      expect(viaJson.stdout === html, `${kind}: report of the JSON differs from --out x.html`).toBe(true);
      // Nothing to fetch: no script, image, link, stylesheet import or URL other than the SVG namespace
      // (not even url(#id): Vega numbers gradients by a counter of the process, not reproducible).
      expect(html).not.toMatch(/<script|<img|<link|<iframe|@import|url\(|\bsrc=|\bhref=/i);
      expect(html.replace(/http:\/\/www\.w3\.org\/[\w/]+/g, '')).not.toMatch(/https?:/);
      expect(html).toContain("default-src 'none'");
      expect(html).toContain('Made 2026-01-01 with policysim');
      // The command that computes the result again is in the header.
      const args = [...RESULTS[kind]];
      const w = args.indexOf('--workers');
      if (w >= 0) args.splice(w, 2);
      expect(html).toContain(`<code>policysim ${args.join(' ')}</code>`);
      // Far under issue 9's 1.5 MB: these charts do not grow with the runs.
      expect(statSync(direct).size).toBeLessThan(150_000);
    }
  }, 120_000);

  it('several decision results make one report, a section each', async () => {
    const r = await cli('report', ...KINDS.map((k) => join(dir, `${k}.json`)));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/<section class="result"/g)).toHaveLength(4);
    for (const [k, kind] of KINDS.entries())
      for (const c of chartsOf(docs[kind]!, `r${k + 1}`)) expect(r.stdout).toContain(`data-chart="${c.id}"`);
  });
});
