/**
 * The header of each section (issue 9, "what it shows"): the scenario's name and description, the
 * model, horizon, seed, runs, policysim version, date and the command that computes the result
 * again — and that command, run, gives the same JSON byte for byte.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { esc } from '../../../src/report/html/page.js';
import { renderHtmlReport } from '../../../src/report/html/report.js';
import { parseResultDocs } from '../../../src/report/html/result-docs.js';
import { policysimVersion } from '../../../src/util/version.js';
import { cli } from '../../cli/harness.js';
import { type ResultKind, resultJson } from '../../fixtures/report/results.js';

const DATE = new Date('2026-03-04T05:06:07Z');
const KINDS = ['run', 'mc', 'sobol'] as const satisfies readonly ResultKind[];
const json: Partial<Record<ResultKind, string>> = {};
const html: Partial<Record<ResultKind, string>> = {};

beforeAll(async () => {
  for (const kind of KINDS) {
    json[kind] = await resultJson(kind);
    html[kind] = await renderHtmlReport(parseResultDocs(json[kind], `${kind}.json`), { date: DATE });
  }
}, 120_000);

/** The header's terms and values, in order, as text (entities decoded). */
function factsOf(page: string): [string, string][] {
  const dl = /<dl class="facts">(.*?)<\/dl>/s.exec(page)![1]!;
  const text = (s: string) =>
    s
      .replace(/<[^>]+>/g, '')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...dl.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/gs)].map((m) => [text(m[1]!), text(m[2]!)]);
}

describe('the header of each kind', () => {
  it('mc: scenario name and description, file, model, horizon, seed, runs, version, command, date', () => {
    const doc = JSON.parse(json.mc!);
    const page = html.mc!;
    // (booleans: a failing toContain would print the whole page)
    expect(page.includes(`<h2>Monte Carlo: ${esc(doc.scenario.name)}</h2>`)).toBe(true);
    expect(page.includes(`<p class="lede">${esc(doc.scenario.description.trim())}</p>`)).toBe(true);
    expect(factsOf(page)).toEqual([
      ['scenario file', 'scenarios/paper-proposals.yaml'],
      ['model', 'builtin:northeast'],
      ['horizon', '2015–2035'],
      ['seed', '2016'],
      ['runs', '600'],
      ['policysim', policysimVersion()],
      ['command', 'policysim mc scenarios/paper-proposals.yaml --runs 600'],
      ['date', '2026-03-04'],
    ]);
  });

  it('run: the deterministic kind said; no seed or runs to give', () => {
    expect(factsOf(html.run!)).toEqual([
      ['scenario file', 'scenarios/paper-proposals.yaml'],
      ['model', 'builtin:northeast'],
      ['horizon', '2015–2035'],
      ['kind', 'deterministic projection (no random draws)'],
      ['policysim', policysimVersion()],
      ['command', 'policysim run scenarios/paper-proposals.yaml'],
      ['date', '2026-03-04'],
    ]);
  });

  it('sweep: the scenario, its model, the design, evaluations and seed', () => {
    const f = new Map(factsOf(html.sobol!));
    expect(f.get('model')).toBe('builtin:northeast');
    expect(f.get('design')).toBe('sobol');
    expect(f.get('model evaluations')).toBe(String(JSON.parse(json.sobol!).evaluations));
    expect(f.get('seed')).toBe('9');
    expect(f.get('command')).toBe('policysim sweep tests/fixtures/sweep/det-sobol.yaml');
  });

  it.each(KINDS)('%s: the command in the header computes the same JSON again', async (kind) => {
    const command = new Map(factsOf(html[kind]!)).get('command')!;
    const [policysim, ...args] = command.split(' ');
    expect(policysim).toBe('policysim');
    const again = await cli(...args, '--format', 'json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(json[kind]);
  });
});

describe('numbers as drawn in the charts', () => {
  it.each(KINDS)('%s: years as years (2020, never 2,020), no float noise (0.30000000000000004)', (kind) => {
    const texts = [...html[kind]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(texts.length).toBeGreaterThan(20);
    expect(texts.filter((t) => /\b\d,\d{3}\b/.test(t) || /\d\.\d{7,}/.test(t))).toEqual([]);
    if (kind !== 'sobol') expect(texts).toContain('2020');
  });
});

describe('size', () => {
  it('the paper-proposals Monte Carlo report is far under 1.5 MB, and does not grow with the runs', async () => {
    const more = await cli(
      'mc',
      'scenarios/paper-proposals.yaml',
      '--runs',
      '3000',
      '--workers',
      '0',
      '--format',
      'json',
    );
    expect(more.code, more.stderr).toBe(0);
    const big = await renderHtmlReport(parseResultDocs(more.stdout, 'mc.json'), { date: DATE });
    const small = html.mc!;
    expect(Buffer.byteLength(big)).toBeLessThan(1_500_000);
    // The same charts with other numbers: the same size within a few per cent (digits differ).
    expect(Math.abs(Buffer.byteLength(big) - Buffer.byteLength(small)) / Buffer.byteLength(small)).toBeLessThan(0.03);
  }, 60_000);
});
