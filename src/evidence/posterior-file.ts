import type { UncertaintySpec } from '../montecarlo/uncertainty-spec.js';
import type { PosteriorResult } from './importance.js';

/**
 * The posterior as an uncertainties file `policysim mc` reads: every uncertain parameter becomes an
 * `empirical` table of the resampled rows, all in one `joint` table so that run k takes row k of
 * each and the posterior's correlations survive. Shocks are copied from the prior: the yearly terms
 * are redrawn, not conditioned on the observations (stated in the file).
 */
export function posteriorUncertaintiesYaml(
  spec: UncertaintySpec,
  post: PosteriorResult,
  header: { scenario: string; observed: string },
): string {
  const lines = [
    `# Posterior uncertainties for ${oneLine(header.scenario)}, given ${oneLine(header.observed)}.`,
    `# ${post.sample.length} rows resampled (systematic, seed ${post.seed}) from ${post.runs} prior runs; effective sample size ${post.effectiveSampleSize.toFixed(1)}.`,
    "# Use as a scenario's uncertainties: `uncertainties: { include: <this file> }` (with no parameters of its own).",
    "# Shocks are the prior's, redrawn in every run: they are not conditioned on the observations.",
    'parameters:',
  ];
  let col = 0;
  for (const p of spec.parameters) {
    const width = p.slotGroups.length;
    const rows = post.sample.map((r) => r.slice(col, col + width));
    col += width;
    const values =
      width === 1
        ? `[${rows.map((r) => num(r[0]!)).join(', ')}]`
        : `[${rows.map((r) => `[${r.map(num).join(', ')}]`).join(', ')}]`;
    lines.push(
      `  ${p.name}: { dist: empirical, joint: posterior, apply: ${p.apply}${width > 1 ? ', per_region: true' : ''}, values: ${values} }`,
    );
  }
  if (spec.parameters.length === 0) lines[lines.length - 1] = 'parameters: {}';
  if (spec.shocks.length > 0) {
    lines.push('shocks:');
    for (const s of spec.shocks)
      lines.push(`  ${s.equation}: { sd: ${num(s.sd)}, persistence: ${num(s.persistence)}, common: ${s.common} }`);
  }
  return `${lines.join('\n')}\n`;
}

/** Shortest text that reads back as the same double. */
function num(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

function oneLine(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
