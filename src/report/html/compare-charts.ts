/**
 * Charts of a comparison (policysim.compare/2): per compared indicator and region, the scenarios'
 * paths overlaid, and below them each scenario's difference against the first, year by year, with
 * the compared years' differences marked (the numbers of the comparison table).
 */
import type { CompareDoc } from './result-docs.js';
import { regionNames } from './run-charts.js';
import { type Chart, HEIGHT, OKABE_ITO, topLevel, valueFormat, valueY, WIDTH, withUnit, yearX } from './theme.js';

/** The compared (indicator, region) pairs, in the order of the comparison's rows. */
export function comparedPairs(doc: CompareDoc): { indicator: string; region: string }[] {
  const seen = new Set<string>();
  const pairs: { indicator: string; region: string }[] = [];
  for (const r of doc.rows) {
    const key = `${r.indicator}\u0000${r.region}`;
    if (!seen.has(key)) {
      seen.add(key);
      pairs.push({ indicator: r.indicator, region: r.region });
    }
  }
  return pairs;
}

/** Every scenario's path of one series: one row per scenario and year. */
export function overlayRows(
  doc: CompareDoc,
  indicator: string,
  region: string,
): { scenario: string; year: number; value: number }[] {
  return doc.runs.flatMap((run, k) => {
    const s = run.series.find((x) => x.indicator === indicator && x.region === region);
    return s ? run.years.map((year, i) => ({ scenario: doc.scenarios[k]!, year, value: s.values[i]! })) : [];
  });
}

/** Each scenario after the first: its path minus the first scenario's, every year. */
export function differenceRows(
  doc: CompareDoc,
  indicator: string,
  region: string,
): { scenario: string; year: number; difference: number }[] {
  const base = doc.runs[0]!.series.find((x) => x.indicator === indicator && x.region === region);
  if (!base) return [];
  return doc.runs.slice(1).flatMap((run, j) => {
    const s = run.series.find((x) => x.indicator === indicator && x.region === region);
    return s
      ? run.years.map((year, i) => ({
          scenario: doc.scenarios[j + 1]!,
          year,
          difference: s.values[i]! - base.values[i]!,
        }))
      : [];
  });
}

/** The comparison table's differences (rows[].differences) at the compared years. */
export function comparedDifferenceRows(
  doc: CompareDoc,
  indicator: string,
  region: string,
): { scenario: string; year: number; difference: number }[] {
  return doc.rows
    .filter((r) => r.indicator === indicator && r.region === region)
    .flatMap((r) =>
      r.differences.slice(1).map((d, j) => ({ scenario: doc.scenarios[j + 1]!, year: r.year, difference: d })),
    );
}

export function compareCharts(doc: CompareDoc, prefix: string): Chart[] {
  const first = doc.runs[0]!;
  const names = regionNames(first);
  const colour = {
    field: 'scenario',
    type: 'nominal',
    title: null,
    scale: { domain: [...doc.scenarios], range: OKABE_ITO },
  };
  return comparedPairs(doc).map(({ indicator, region }) => {
    const ind = first.indicators.find((i) => i.name === indicator) ?? {
      name: indicator,
      label: indicator,
      unit: '',
      decimals: 2,
    };
    const x = yearX();
    const regionName = names.get(region) ?? region;
    return {
      id: `${prefix}-${indicator}-${region}`,
      title: `${ind.label}, ${regionName}`,
      spec: topLevel({
        title: `${ind.label}, ${regionName}`,
        vconcat: [
          {
            name: 'overlay',
            width: WIDTH,
            height: HEIGHT,
            data: { values: overlayRows(doc, indicator, region) },
            mark: { type: 'line', strokeWidth: 2 },
            encoding: {
              x,
              y: valueY('value', ind.unit || null, ind.decimals),
              color: colour,
            },
          },
          {
            width: WIDTH,
            height: HEIGHT / 2,
            title: { text: `Difference against ${doc.scenarios[0]}`, fontSize: 11, fontWeight: 'normal' },
            layer: [
              {
                name: 'zero',
                data: { values: [{ difference: 0 }] },
                mark: { type: 'rule', color: '#777777' },
                encoding: { y: { field: 'difference', type: 'quantitative' } },
              },
              {
                name: 'differences',
                data: { values: differenceRows(doc, indicator, region) },
                mark: { type: 'line', strokeWidth: 2 },
                encoding: {
                  x,
                  y: {
                    field: 'difference',
                    type: 'quantitative',
                    title: withUnit('difference', ind.unit === '%' ? 'points' : ind.unit),
                    axis: { format: valueFormat(ind.decimals) },
                  },
                  color: colour,
                },
              },
              {
                name: 'compared',
                data: { values: comparedDifferenceRows(doc, indicator, region) },
                mark: { type: 'point', filled: true, size: 40 },
                encoding: { x, y: { field: 'difference', type: 'quantitative' }, color: colour },
              },
            ],
          },
        ],
        resolve: { scale: { color: 'shared' } },
      }),
    };
  });
}
