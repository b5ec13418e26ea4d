/**
 * The chart of a seek (policysim.seek/2): every setting tried, the target's measure against the
 * knob (the lever's value, start year or ramp, or the package factor), with the threshold the
 * measure must reach (the target's reference, or the probability asked for), the settings that meet
 * it coloured apart, and the answer marked. With a probability each setting has its 95% Wilson
 * interval as a whisker.
 */
import type { SeekDoc } from './result-docs.js';
import { type Chart, fmt, OKABE_ITO, PERCENT, pct, topLevel, valueFormat, WIDTH, withUnit } from './theme.js';

export const MET = 'meets the target';
export const NOT_MET = 'does not';

/** The knob's axis: what x is. */
export function knobTitle(doc: SeekDoc): string {
  const k = doc.knob;
  if (k.kind === 'package') return 'package factor (share of the scenario’s lever settings)';
  const where = k.regions && k.regions.length > 0 ? ` in ${k.regions.join(', ')}` : '';
  switch (k.vary) {
    case 'from':
      return `${k.lever}: start year${where}`;
    case 'ramp':
      return `${k.lever}: ramp (years)${where}`;
    default:
      return `${k.lever}: value${where}`;
  }
}

/** Decimals that show a setting to its resolution (as the terminal table does). */
function knobDecimals(resolution: number): number {
  return resolution >= 1 ? 0 : Math.min(12, Math.ceil(-Math.log10(resolution)));
}

function indicatorOf(doc: SeekDoc): { label: string; unit: string; decimals: number } {
  const ind = doc.indicators?.find((i) => i.name === doc.target.indicator);
  return ind ?? { label: doc.target.indicator, unit: '', decimals: 2 };
}

/** The chart's rows: one per setting tried, by x (the JSON's order). */
export function seekRows(doc: SeekDoc): {
  x: number;
  met: string;
  y: number;
  low: number | null;
  high: number | null;
  threshold: number;
}[] {
  const probability = doc.mode === 'probability';
  return doc.probes.map((p) => ({
    x: p.x,
    met: p.met ? MET : NOT_MET,
    y: probability ? p.probability! : p.value!,
    low: probability ? p.low! : null,
    high: probability ? p.high! : null,
    threshold: probability ? doc.probability! : p.reference!,
  }));
}

export function seekChart(doc: SeekDoc, prefix: string): Chart {
  const probability = doc.mode === 'probability';
  const ind = indicatorOf(doc);
  const region = doc.regions?.find((r) => r.id === doc.target.region)?.name ?? doc.target.region;
  const rows = seekRows(doc);
  const xd = knobDecimals(doc.knob.resolution);
  const x = {
    field: 'x',
    type: 'quantitative',
    title: knobTitle(doc),
    scale: { domain: [doc.knob.range[0], doc.knob.range[1]], nice: false },
    axis: { format: xd === 0 ? 'd' : `.${Math.min(xd, 3)}~f`, tickMinStep: doc.knob.resolution >= 1 ? 1 : undefined },
  };
  // Short: Vega estimates text widths (no canvas) and makes room for the whole title.
  const yTitle = probability ? `share of ${doc.runs} futures` : withUnit(`${region} ${doc.target.year}`, ind.unit);
  const yAxis = probability ? { format: PERCENT } : { format: valueFormat(ind.decimals) };
  const y = (field: string) => ({
    field,
    type: 'quantitative',
    title: yTitle,
    axis: yAxis,
    scale: probability ? { domain: [0, 1] } : { zero: false },
  });
  const colour = {
    field: 'met',
    type: 'nominal',
    title: null,
    scale: { domain: [MET, NOT_MET], range: [OKABE_ITO[2], OKABE_ITO[3]] },
  };
  const thresholdText = probability
    ? `required: ${pct(doc.probability)}`
    : `reference: ${fmt(rows[0]?.threshold, ind.decimals)} (${doc.target.direction === 'at_most' ? 'at most' : 'at least'})`;
  const answer = doc.answer;
  const answerRow = answer
    ? [
        {
          x: answer.x,
          y: probability ? answer.probability! : answer.value!,
          label: `answer: ${fmt(answer.x, xd)}${probability ? ` (${pct(answer.probability)})` : ''}`,
        },
      ]
    : [];
  return {
    id: `${prefix}-seek`,
    title: 'What it would take',
    spec: topLevel({
      title: `${doc.target.name}: ${probability ? 'probability' : ind.label} at each setting tried`,
      width: WIDTH,
      height: 240,
      data: { values: rows },
      layer: [
        {
          name: 'threshold',
          mark: { type: 'line', color: '#000000', strokeDash: [6, 4], strokeWidth: 1.5 },
          encoding: { x, y: y('threshold') },
        },
        {
          name: 'threshold_label',
          data: { values: [{ x: doc.knob.range[0], threshold: rows[0]?.threshold ?? 0, label: thresholdText }] },
          mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -4, fontSize: 11 },
          encoding: { x, y: y('threshold'), text: { field: 'label' } },
        },
        {
          name: 'path',
          mark: { type: 'line', color: '#999999', strokeWidth: 1 },
          encoding: { x, y: y('y') },
        },
        ...(probability
          ? [
              {
                name: 'whiskers',
                mark: { type: 'rule', strokeWidth: 1.5 },
                encoding: { x, y: y('low'), y2: { field: 'high' }, color: colour },
              },
            ]
          : []),
        {
          name: 'probes',
          mark: { type: 'point', filled: true, size: 50, opacity: 1 },
          encoding: { x, y: y('y'), color: colour },
        },
        ...(answerRow.length > 0
          ? [
              {
                name: 'answer',
                data: { values: answerRow },
                layer: [
                  {
                    name: 'answer_mark',
                    mark: { type: 'point', size: 240, strokeWidth: 2, color: '#000000', filled: false },
                    encoding: { x, y: y('y') },
                  },
                  {
                    name: 'answer_label',
                    mark: { type: 'text', align: 'left', dx: 12, dy: 14, fontSize: 11, fontWeight: 'bold' },
                    encoding: { x, y: y('y'), text: { field: 'label' } },
                  },
                ],
              },
            ]
          : []),
      ],
    }),
  };
}

export function seekCharts(doc: SeekDoc, prefix: string): Chart[] {
  return doc.probes.length > 0 ? [seekChart(doc, prefix)] : [];
}
