import type { CommandModule } from 'yargs';
import { renderCompareCsv, renderCompareJson, renderCompareTable } from '../report/compare-report.js';
import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';
import { checkIndicators, checkRegions, wholeNumber, withOutputOptions, withSetOption } from './options.js';

export function compareCommand(io: Io): CommandModule {
  return {
    command: 'compare <scenarios..>',
    describe: "scenarios side by side, with differences against the first and each one's target verdicts",
    builder: (y) =>
      withSetOption(withOutputOptions(y))
        .positional('scenarios', { type: 'string', array: true, demandOption: true })
        .option('indicators', {
          type: 'string',
          array: true,
          default: ['trade_dependence', 'private_investment_growth', 'rd_intensity', 'soe_share'],
          describe: 'indicators to compare',
        })
        .option('regions', {
          type: 'string',
          array: true,
          default: ['northeast'],
          describe: 'regions (provinces, aggregates or the national reference)',
        })
        .option('years', {
          type: 'number',
          array: true,
          default: [2020, 2025, 2030, 2035],
          describe: 'years to compare',
        })
        .example('$0 compare scenarios/baseline.yaml scenarios/paper-proposals.yaml', ''),
    handler: async (argv) => {
      const a = argv as unknown as {
        scenarios: string[];
        format: 'table' | 'csv' | 'json';
        out?: string;
        set: string[];
        indicators: string[];
        regions: string[];
        years: number[];
      };
      if (a.scenarios.length < 2)
        throw new UserError({ path: 'compare', message: `needs at least two scenarios (got ${a.scenarios.length})` });
      const [{ projectScenario }, { loadScenario }] = await Promise.all([
        import('../project/project-scenario.js'),
        import('../scenario/load-scenario.js'),
      ]);
      const ps = a.scenarios.map((f) => projectScenario(loadScenario(f, { overrides: a.set })));
      const model = ps[0]!.scenario.model;
      for (const y of a.years) wholeNumber('years', y, 1, 9999);
      checkIndicators(a.indicators, model);
      checkRegions(a.regions, model);
      for (const i of a.indicators) {
        for (const r of a.regions) {
          if (model.seriesIndex(i, r) === undefined)
            throw new UserError({ path: '--regions', message: `indicator '${i}' has no series for '${r}'` });
        }
      }
      for (const p of ps) {
        for (const y of a.years) {
          if (y < p.scenario.horizon.start || y > p.scenario.horizon.end) {
            throw new UserError({
              path: '--years',
              message: `year ${y} is outside the horizon of '${p.scenario.name}' (${p.scenario.horizon.start}-${p.scenario.horizon.end})`,
            });
          }
        }
      }
      const o = { indicators: a.indicators, regions: a.regions, years: a.years };
      const text =
        a.format === 'json'
          ? renderCompareJson(ps, o)
          : a.format === 'csv'
            ? renderCompareCsv(ps, o)
            : renderCompareTable(ps, o);
      emitOutput(io, text, a.out);
    },
  };
}
