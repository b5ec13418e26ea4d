/**
 * The reports in a real browser: Debian's chromium driven by playwright-core opens a report of each
 * kind from file://, and the test fails on any request that is not file: and on any console error;
 * each expected chart must be there as SVG with the expected number of marks (lines, bands, bars,
 * points, cells), counted from the JSON result; the verdict text must be there; a screenshot of each
 * page goes to a temporary folder. In CI (CI=true) a missing chromium is a failure; elsewhere the
 * test is skipped with one line saying what to install.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, type ConsoleMessage, chromium, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BacktestDoc,
  CalibrateDoc,
  CompareDoc,
  DiscoverDoc,
  McDoc,
  PairedDoc,
  ResultDoc,
  RunDoc,
  SeekDoc,
  SweepDoc,
} from '../../../src/report/html/result-docs.js';
import { cli } from '../../cli/harness.js';
import { RESULTS, type ResultKind, resultJson } from '../../fixtures/report/results.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const KEEP = process.env.KEEP_SCREENSHOTS === '1';

if (!HAVE_CHROMIUM && !IN_CI) console.warn(`browser test skipped: no ${CHROMIUM} (apt-get install chromium)`);

describe.runIf(IN_CI && !HAVE_CHROMIUM)('in CI', () => {
  it('chromium is installed', () => {
    throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)`);
  });
});

/** The little of the DOM the mark count uses. */
interface QueryRoot {
  querySelector(selector: string): QueryRoot | null;
  querySelectorAll(selector: string): { length: number };
}

/** Marks a chart must show: the mark name (Vega-Lite layer name) and how many SVG elements it draws. */
type Expected = { chart: string; marks: Record<string, number> }[];

function expectedRun(doc: RunDoc, p: string): Expected {
  return doc.indicators.map((ind) => ({
    chart: `${p}-${ind.name}`,
    marks: {
      lines: doc.series.filter((s) => s.indicator === ind.name).length,
      ...(doc.targets.some((t) => t.indicator === ind.name)
        ? { target_mark: doc.targets.filter((t) => t.indicator === ind.name).length }
        : {}),
    },
  }));
}

function expectedCompare(doc: CompareDoc, p: string): Expected {
  const pairs = [...new Set(doc.rows.map((r) => `${r.indicator}-${r.region}`))];
  const years = new Set(doc.rows.map((r) => r.year)).size;
  const n = doc.scenarios.length;
  return pairs.map((pair) => ({
    chart: `${p}-${pair}`,
    marks: { overlay: n, differences: n - 1, compared: (n - 1) * years },
  }));
}

function expectedMc(doc: McDoc, p: string): Expected {
  const fans = doc.indicators.map((ind) => {
    const panels = doc.series.filter((s) => s.indicator === ind.name && s.kind !== 'reference').length;
    const marks: Record<string, number> = {};
    for (let n = 0; n < panels; n++)
      for (const m of ['band90', 'band50', 'median', 'deterministic']) marks[`${m}_${n}`] = 1;
    return { chart: `${p}-fan-${ind.name}`, marks };
  });
  return [
    { chart: `${p}-probabilities`, marks: { probability: doc.targets.length, interval: doc.targets.length } },
    ...doc.targets.map((t, k) => ({
      chart: `${p}-first-year-${k + 1}`,
      marks: { bars: t.firstYearReached.years.length + 1 },
    })),
    ...fans,
  ];
}

function expectedSweep(doc: SweepDoc, p: string): Expected {
  const D = doc.factors.length;
  return doc.outputs.map((o, k) => {
    const chart = `${p}-${doc.design}-${k + 1}`;
    switch (doc.design) {
      case 'oat':
        return { chart, marks: { bars: 2 * D } };
      case 'sobol':
        return { chart, marks: { bars: 2 * D, whiskers: 2 * D } };
      case 'morris':
        return { chart, marks: { points: D } };
      case 'lhs':
        return { chart, marks: Object.fromEntries(doc.factors.map((_, j) => [`scatter_${j}`, doc.sample!.X.length])) };
      default: {
        const t = o.analysis.table as { values: number[][] };
        const cells = t.values.flat().length;
        return { chart, marks: { cells, values: cells } };
      }
    }
  });
}

function expectedDiscover(doc: DiscoverDoc, p: string): Expected {
  const D = doc.box.limits.length;
  const restricted = doc.box.limits.filter((l) => l.lower !== null || l.upper !== null).length;
  return [
    {
      chart: `${p}-discover-tradeoff`,
      marks: { trajectory: 1, peels: doc.curve.length, chosen_mark: 1, reported_mark: 1 },
    },
    { chart: `${p}-discover-limits`, marks: { range: D, box: restricted, limit_labels: D } },
  ];
}

function expectedSeek(doc: SeekDoc, p: string): Expected {
  const n = doc.probes.length;
  return [
    {
      chart: `${p}-seek`,
      marks: {
        threshold: 1,
        probes: n,
        ...(doc.mode === 'probability' ? { whiskers: n } : {}),
        ...(doc.answer ? { answer_mark: 1 } : {}),
      },
    },
  ];
}

function expectedPaired(doc: PairedDoc, p: string): Expected {
  const S = doc.scenarios.length;
  const indicators = [...new Set(doc.differences.map((d) => d.indicator))];
  return [
    ...doc.targets.map((_, k) => ({ chart: `${p}-paired-target-${k + 1}`, marks: { probability: S, interval: S } })),
    ...indicators.map((ind) => {
      const rows = doc.differences.filter((d) => d.indicator === ind).length * (S - 1);
      return { chart: `${p}-paired-diff-${ind}`, marks: { spread90: rows, spread50: rows, median: rows, mean: rows } };
    }),
  ];
}

function expectedBacktest(doc: BacktestDoc, p: string): Expected {
  const groups = [...doc.series, doc.overall].filter((s) => s.coverage50 !== null).length;
  const indicators = [...new Set(doc.observations.map((o) => o.indicator))];
  const order = doc.indicators.map((i) => i.name);
  indicators.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return [
    { chart: `${p}-backtest-coverage`, marks: { nominal: 2, interval: 2 * groups, coverage: 2 * groups } },
    { chart: `${p}-backtest-pit`, marks: { bars: 5, uniform: 1 } },
    ...indicators.map((ind) => {
      const n = doc.observations.filter((o) => o.indicator === ind).length;
      return { chart: `${p}-backtest-${ind}`, marks: { band90: n, band50: n, median: n, observed: n } };
    }),
  ];
}

function expectedCalibrate(doc: CalibrateDoc, p: string): Expected {
  const P = doc.fit.parameters.length;
  const withSe = doc.fit.parameters.filter((x) => x.standardError !== null).length;
  const post = doc.posterior!;
  return [
    {
      chart: `${p}-calibrate-fit`,
      marks: { range: P, se: withSe, start: P, estimate: P, identification: P },
    },
    { chart: `${p}-calibrate-residuals`, marks: { limits: 3, residuals: doc.fit.residuals.length } },
    {
      chart: `${p}-calibrate-posterior`,
      marks: { interval: 2 * post.parameters.length, mean: 2 * post.parameters.length },
    },
    ...doc.indicators.flatMap((ind) => {
      const bands = post.bands.filter((b) => b.indicator === ind.name);
      if (bands.length === 0) return [];
      const marks: Record<string, number> = {};
      bands.forEach((b, n) => {
        for (const m of ['prior', 'posterior', 'median']) marks[`${m}_${n}`] = 1;
        marks[`observed_${n}`] = doc.fit.residuals.filter(
          (r) => r.indicator === b.indicator && r.region === b.region,
        ).length;
      });
      return [{ chart: `${p}-calibrate-bands-${ind.name}`, marks }];
    }),
  ];
}

function expected(doc: ResultDoc, p: string): Expected {
  switch (doc.schema) {
    case 'policysim.run/2':
      return expectedRun(doc, p);
    case 'policysim.compare/2':
      return expectedCompare(doc, p);
    case 'policysim.mc/2':
      return expectedMc(doc, p);
    case 'policysim.sweep/2':
      return expectedSweep(doc, p);
    case 'policysim.discover/2':
      return expectedDiscover(doc, p);
    case 'policysim.seek/2':
      return expectedSeek(doc, p);
    case 'policysim.paired/2':
      return expectedPaired(doc, p);
    case 'policysim.backtest/2':
      return expectedBacktest(doc, p);
    case 'policysim.calibrate/2':
      return expectedCalibrate(doc, p);
  }
}

/** What each kind's page must say in words. */
const VERDICT: Partial<Record<ResultKind, RegExp>> = {
  run: /Trade dependence reaches the national average by 2020\s*NOT REACHED/,
  compare: /Targets — paper-proposals/,
  mc: /Trade dependence reaches the national average by 2030\s+\d+\.\d%\s+\d+\.\d% – \d+\.\d%/,
  policyGrid: /95% interval \(Wilson\)/,
  discover: /Trade dependence reaches the national average by 2030: reached in \d+% of futures where /,
  seek: /x at least 5 in 2030: smallest value push = 0\.5 in a/,
  seekProbability: /with probability 15\.0%: smallest share \d+\.\d% of the scenario's levers/,
  paired: /Difference from free-trade-zone \(same future, run by run\)/,
  backtest: /Verdict: bands (too narrow|about right|too wide) \(14 observations\): the 90% band held \d+ of 14/,
  calibrate: /warning: effective sample size \d+\.\d of 600 runs: the posterior rests on a few runs/,
};

describe.runIf(HAVE_CHROMIUM)('reports in chromium', () => {
  let dir: string;
  let launched: Promise<BrowserContext> | undefined;
  let context: BrowserContext;
  let page: Page | undefined;
  const docs: Partial<Record<ResultKind, ResultDoc>> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'policysim-browser-'));
    // A fresh profile of its own, so nothing from another run (or a user's chromium) takes part;
    // chromium starts while the results are computed.
    launched = chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
    });
    // Handled here too: afterAll closes it even when a result below fails first.
    launched.catch(() => {});
    for (const kind of Object.keys(RESULTS) as ResultKind[]) {
      const json = await resultJson(kind);
      docs[kind] = JSON.parse(json) as ResultDoc;
      writeFileSync(join(dir, `${kind}.json`), json);
      // The report written directly by the command (--out FILE.html)...
      const r = await cli(...RESULTS[kind], '--out', join(dir, `${kind}.html`));
      expect(r.code, r.stderr).toBe(0);
    }
    // ...and all of them in one report from their JSON files.
    const all = await cli(
      'report',
      ...Object.keys(RESULTS).map((k) => join(dir, `${k}.json`)),
      '--out',
      join(dir, 'all.html'),
    );
    expect(all.code, all.stderr).toBe(0);
    context = await launched;
  }, 600_000);

  afterAll(async () => {
    await (await launched?.catch(() => undefined))?.close();
    // The screenshots (and reports) stay for a look with KEEP_SCREENSHOTS=1.
    if (KEEP) console.log(`browser test: screenshots in ${dir}`);
    else if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Opens `file` in the one page all the tests share (a page per report cost a quarter of a second
   * each), with the requests and console errors of this load alone. The screenshot is of the first
   * screen: that the page drew is what the size shows; a whole page's took a second or more to encode,
   * so it is taken only for a look (KEEP_SCREENSHOTS=1).
   */
  async function open(file: string, shot: string) {
    const p = (page ??= await context.newPage());
    const foreign: string[] = [];
    const errors: string[] = [];
    const onRequest = (r: Request): void => {
      if (!r.url().startsWith('file:')) foreign.push(r.url());
    };
    const onConsole = (m: ConsoleMessage): void => {
      if (m.type() === 'error') errors.push(m.text());
    };
    const onError = (e: Error): void => void errors.push(e.message);
    p.on('request', onRequest);
    p.on('console', onConsole);
    p.on('pageerror', onError);
    await p.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await p.screenshot({ path: join(dir, shot), fullPage: KEEP });
    expect(statSync(join(dir, shot)).size).toBeGreaterThan(10_000);
    const done = (): void => {
      p.off('request', onRequest);
      p.off('console', onConsole);
      p.off('pageerror', onError);
    };
    return { page: p, foreign, errors, done };
  }

  /** For each expected chart: its figure holds an SVG with the marks counted. */
  async function countMarks(page: Page, want: Expected) {
    return page.evaluate((w) => {
      // In the page: the browser's document (this project's type checking knows Node only).
      const document = (globalThis as unknown as { document: { querySelector(s: string): QueryRoot | null } }).document;
      return w.map(({ chart, marks }) => {
        const fig = document.querySelector(`figure[data-chart="${chart}"]`);
        const svg = fig?.querySelector(':scope > svg');
        const got: Record<string, number> = {};
        for (const m of Object.keys(marks)) {
          got[m] = svg ? svg.querySelectorAll(`g.${m}_marks path, g.${m}_marks line, g.${m}_marks text`).length : -1;
        }
        return { chart, marks: got };
      });
    }, want);
  }

  it.each(Object.keys(RESULTS) as ResultKind[])(
    '%s: every chart as SVG with its marks, the verdict in words, no request but file:, no console error',
    async (kind) => {
      const { page, foreign, errors, done } = await open(join(dir, `${kind}.html`), `${kind}.png`);
      const want = expected(docs[kind]!, 'r1');
      expect(want.length).toBeGreaterThan(0);
      expect(await countMarks(page, want)).toEqual(want);
      // Nothing but the expected charts, each an SVG.
      expect(await page.$$eval('figure.chart', (f) => f.map((x) => x.getAttribute('data-chart')))).toEqual(
        want.map((w) => w.chart),
      );
      expect(await page.$$eval('figure.chart > svg', (s) => s.length)).toBe(want.length);
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered is what a reader sees
      const text = await page.innerText('body');
      const verdict = VERDICT[kind];
      if (verdict) expect(text).toMatch(verdict);
      // Years print as years.
      expect(text).not.toMatch(/\b2,0\d\d\b/);
      done();
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    },
    120_000,
  );

  it('one report of every result: a section each, all charts there', async () => {
    const { page, foreign, errors, done } = await open(join(dir, 'all.html'), 'all.png');
    const kinds = Object.keys(RESULTS) as ResultKind[];
    const want = kinds.flatMap((k, i) => expected(docs[k]!, `r${i + 1}`));
    expect(await page.$$eval('section.result', (s) => s.length)).toBe(kinds.length);
    expect(await countMarks(page, want)).toEqual(want);
    done();
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
