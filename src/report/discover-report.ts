import { type Discovery, discoverySentence } from '../decision/discover.js';
import type { PrimBox } from '../decision/prim.js';
import type { Manifest } from '../manifest/manifest.js';
import { fixed, renderTable, shown } from './format.js';
import { NO_META, provenance, type ResultMeta } from './result-meta.js';

export interface DiscoverReport {
  readonly discovery: Discovery;
  readonly labels: readonly string[];
  readonly target: { readonly index: number; readonly name: string };
  readonly source:
    | { readonly kind: 'monteCarlo'; readonly scenario: string; readonly file: string; readonly seed: number }
    | { readonly kind: 'runsFile'; readonly file: string };
  /** What the boxes were found from (src/manifest/): the scenario's files, or the runs file. */
  readonly manifest: Manifest;
}

function restricted(b: PrimBox, d: Discovery, labels: readonly string[]): string[] {
  return labels.filter((_, j) => b.lo[j]! > d.limits[j]!.min || b.hi[j]! < d.limits[j]!.max);
}

/** policysim.discover/2 (README: "Discover JSON"). */
export function discoverResultJson(r: DiscoverReport, meta: ResultMeta = NO_META): object {
  const d = r.discovery;
  return {
    schema: 'policysim.discover/2',
    source: r.source,
    target: { index: r.target.index + 1, name: r.target.name },
    runs: d.runs,
    runsReached: d.runsReached,
    baseRate: d.runs > 0 ? d.runsReached / d.runs : null,
    method: {
      kind: 'PRIM',
      peelingAlpha: d.alpha,
      pastingAlpha: d.alpha,
      minMass: d.minMass,
      minCoverage: d.minCoverage,
      maxP: d.maxP,
    },
    curve: d.curve.map((b, i) => ({
      box: i,
      coverage: b.coverage,
      density: b.density,
      mass: b.mass,
      runs: b.count,
      runsReached: b.hits,
      restricted: restricted(b, d, r.labels),
    })),
    chosenBox: d.chosen,
    box: {
      coverage: d.box.coverage,
      density: d.box.density,
      mass: d.box.mass,
      runs: d.box.count,
      runsReached: d.box.hits,
      limits: d.limits,
    },
    sentence: discoverySentence(d, r.target.name),
    ...provenance(meta),
    manifest: r.manifest,
  };
}

export function renderDiscoverJson(r: DiscoverReport, meta: ResultMeta = NO_META): string {
  return `${JSON.stringify(discoverResultJson(r, meta), null, 2)}\n`;
}

export function renderDiscoverTable(r: DiscoverReport): string {
  const d = r.discovery;
  const pct = (x: number): string => `${fixed(100 * x, 1)}%`;
  const parts = [discoverySentence(d, shown(r.target.name))];
  parts.push(
    `\nCoverage-density trade-off (PRIM peeling, alpha ${d.alpha}; box ${d.chosen} chosen${d.chosen > 0 ? ', then pasted' : ''})`,
  );
  parts.push(
    renderTable(
      [['box', 'coverage', 'density', 'mass', 'inputs restricted']],
      d.curve.map((b, i) => [
        `${i === d.chosen ? '*' : ' '}${i}`,
        pct(b.coverage),
        pct(b.density),
        pct(b.mass),
        String(restricted(b, d, r.labels).length),
      ]),
    ),
  );
  parts.push(
    `\nChosen box after pasting and dropping restrictions with a quasi-p-value above ${d.maxP}: coverage ${pct(d.box.coverage)}, density ${pct(d.box.density)}, mass ${pct(d.box.mass)}`,
  );
  const g = (v: number | null): string => (v === null ? '-' : String(Number(v.toPrecision(4))));
  parts.push(
    renderTable(
      [['parameter', 'runs min', 'box lower', 'box upper', 'runs max', 'qp-value']],
      d.limits
        .filter((l) => l.lower !== null || l.upper !== null)
        .map((l) => [
          l.parameter,
          g(l.min),
          g(l.lower),
          g(l.upper),
          g(l.max),
          l.qpValue === null ? '-' : l.qpValue.toExponential(1),
        ]),
    ),
  );
  const free = d.limits.filter((l) => l.lower === null && l.upper === null).map((l) => l.parameter);
  if (free.length > 0) parts.push(`unrestricted: ${free.join(', ')}`);
  return `${parts.join('\n')}\n`;
}
