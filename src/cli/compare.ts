import { checkOutputPath } from '../report/atomic-write.js';
import { UserError } from '../util/diagnostics.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { emitHtml } from './html-output.js';
import { emitCsv, emitOutput, type Io } from './io.js';
import {
  checkIndicators,
  checkRegions,
  outputFormat,
  typedCommand,
  wholeFlags,
  withOutputOptions,
  withSetOption,
} from './options.js';
import { warnAboutScenario } from './scenario-warnings.js';
import { setOverrides } from './set-overrides.js';

export function compareCommand(io: Io, inv: Invocation = NO_INVOCATION) {
  return typedCommand({
    command: 'compare <scenarios..>',
    describe: "scenarios side by side, with differences against the first and each one's target verdicts",
    builder: (y) =>
      withSetOption(withOutputOptions(y))
        .positional('scenarios', { type: 'string', array: true, demandOption: true })
        .option('indicators', {
          type: 'string',
          array: true,
          describe: "indicators to compare (default: the model's headline indicators)",
        })
        .option('regions', {
          type: 'string',
          array: true,
          describe: 'regions: provinces, aggregates or the national reference (default: the aggregates)',
        })
        .option('years', {
          type: 'string',
          array: true,
          describe: "years to compare (default: every fifth year of the first scenario's horizon, and its end)",
        })
        .option('observed', {
          type: 'string',
          describe: "observed CSV shown beside the values (default: the first scenario's observed: file)",
        })
        .example('$0 compare scenarios/baseline.yaml scenarios/paper-proposals.yaml', ''),
    handler: async (argv) => {
      const a = argv;
      const format = outputFormat(a);
      const yearsFlag = wholeFlags(argv, [], ['years']).years;
      if (a.scenarios.length < 2)
        throw new UserError({ path: 'compare', message: `needs at least two scenarios (got ${a.scenarios.length})` });
      if (a.out) checkOutputPath(a.out, '--out');
      const [
        { projectScenario },
        { loadScenario },
        { loadObservedFor },
        { ObservedView },
        { compareResultJson, renderCompareCsv, renderCompareJson, renderCompareTable },
        { renderVerdictsCsv },
      ] = await Promise.all([
        import('../project/project-scenario.js'),
        import('../scenario/load-scenario.js'),
        import('../evidence/observed-file.js'),
        import('../report/observed-view.js'),
        import('../report/compare-report.js'),
        import('../report/run-report.js'),
      ]);
      const ps = a.scenarios.map((f) => projectScenario(loadScenario(f, { overrides: setOverrides(a.set) })));
      const model = ps[0]!.scenario.model;
      for (const p of ps) await warnAboutScenario(io, p.scenario);
      const indicators = a.indicators ?? model.headline;
      const regions = a.regions ?? model.defaultRegions();
      const years = yearsFlag ?? fifthYears(ps[0]!.scenario.horizon);
      checkIndicators(indicators, model);
      checkRegions(regions, model);
      for (const i of indicators) {
        for (const r of regions) {
          if (model.seriesIndex(i, r) === undefined)
            throw new UserError({ path: '--regions', message: `indicator '${i}' has no series for '${r}'` });
        }
      }
      for (const p of ps) {
        for (const y of years) {
          if (y < p.scenario.horizon.start || y > p.scenario.horizon.end) {
            throw new UserError({
              path: '--years',
              message: `year ${y} is outside the horizon of '${p.scenario.name}' (${p.scenario.horizon.start}-${p.scenario.horizon.end})`,
            });
          }
        }
      }
      const observedSet = loadObservedFor(ps[0]!.scenario, a.observed);
      const o = {
        indicators,
        regions,
        years,
        ...(observedSet ? { observed: new ObservedView(observedSet) } : {}),
      };
      const meta = { command: reproducingCommand(inv) };
      if (format === 'html') return emitHtml(io, [JSON.parse(JSON.stringify(compareResultJson(ps, o, meta)))], a.out);
      if (format === 'csv') return emitCsv(io, renderCompareCsv(ps, o), renderVerdictsCsv(ps), a.out);
      emitOutput(io, format === 'json' ? renderCompareJson(ps, o, meta) : renderCompareTable(ps, o), a.out);
    },
  });
}

/** 2015-2035 -> 2020, 2025, 2030, 2035: the multiples of 5 after the start, and the end year. */
function fifthYears(h: { readonly start: number; readonly end: number }): number[] {
  const years: number[] = [];
  for (let y = Math.floor(h.start / 5) * 5 + 5; y < h.end; y += 5) years.push(y);
  years.push(h.end);
  return years;
}
