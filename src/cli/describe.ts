import { jsonText, renderTable } from '../report/format.js';
import { DEFAULT_MODEL } from '../scenario/defaults.js';
import { escapeControlLines } from '../util/terminal-text.js';
import { emitOutput, type Io } from './io.js';
import { typedCommand } from './options.js';

export function describeCommand(io: Io) {
  return typedCommand({
    command: 'describe',
    describe:
      "list a model's regions, levers, parameters (value, unit, range, source), indicators (unit, domain) and the equations a shock can attach to",
    builder: (y) =>
      y
        .option('model', { type: 'string', default: DEFAULT_MODEL, describe: 'model file, or builtin:NAME' })
        .option('format', { choices: ['table', 'json'] as const, default: 'table' as const })
        .option('out', { type: 'string', describe: 'write to this file (atomically)' }),
    handler: async (argv) => {
      const a = argv;
      const [{ loadModel }, { shockableEquations }, { regionOrder }] = await Promise.all([
        import('../model/load-model.js'),
        import('../model/shockable.js'),
        import('../report/run-report.js'),
      ]);
      const m = loadModel(a.model);
      if (a.format === 'json') {
        const doc = {
          schema: 'policysim.model/2',
          name: m.name,
          title: m.title,
          origin: m.origin,
          baseYear: m.baseYear,
          regions: m.regions,
          aggregates: m.aggregates.map((g) => ({
            id: g.id,
            name: g.name,
            regions: g.members.map((i) => m.regions[i]!.id),
          })),
          reference: m.reference ?? null,
          levers: m.levers,
          parameters: m.parameters,
          indicators: m.indicators,
          shockable: shockableEquations(m.file).map(({ expr: _, ...e }) => e),
        };
        return emitOutput(io, jsonText(doc), a.out);
      }
      const out: string[] = [`${m.title} (${m.origin}), base year ${m.baseYear}`];
      if (m.description) out.push(m.description.trim());
      out.push(
        `\nRegions: ${regionOrder(m)
          .map((r) => `${r.name} (${r.id})`)
          .join(', ')}`,
      );
      out.push('\nLevers');
      for (const l of m.levers) {
        out.push(
          `  ${l.name} [${l.range[0]}..${l.range[1]}, off = ${l.default}]${l.paper ? ` (${l.paper})` : ''}: ${l.description}`,
        );
        out.push(
          `      unit: ${l.unit}${l.perRegion ? '' : '; the same in every region'}\n      acts on: ${l.actsOn.join(', ')}`,
        );
      }
      out.push('\nParameters');
      for (const p of m.parameters) {
        const v =
          p.scope === 'global' ? String(p.defaults[0]) : m.regions.map((r, i) => `${r.id} ${p.defaults[i]}`).join(', ');
        out.push(`  ${p.name} = ${v} ${p.unit}  [range ${p.range[0]}..${p.range[1]}]\n      source: ${p.source}`);
      }
      out.push('\nIndicators');
      out.push(
        renderTable(
          [['name', 'unit', 'domain', 'national reference', 'label']],
          m.indicators.map((i) => [i.name, i.unit, domainText(i), i.hasReference ? 'yes' : 'no', i.label]),
        ),
      );
      out.push('\nShockable equations (uncertainties.shocks: a yearly random term added to one of these)');
      out.push(
        renderTable(
          [['name', 'kind', 'scope', 'unit', 'description']],
          shockableEquations(m.file).map((e) => [e.name, e.kind, e.scope, e.unit ?? '', e.description ?? '']),
        ),
      );
      // The model's own text (titles, descriptions, sources) may span lines; no control character may reach the terminal.
      emitOutput(io, `${escapeControlLines(out.join('\n'))}\n`, a.out);
    },
  });
}

/** `min..max` as declared (`0..`, `0..100`), or `any` without a domain. */
function domainText(i: { min?: number; max?: number }): string {
  if (i.min === undefined && i.max === undefined) return 'any';
  return `${i.min ?? ''}..${i.max ?? ''}`;
}
