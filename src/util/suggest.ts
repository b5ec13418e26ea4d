import { distance } from 'fastest-levenshtein';

/**
 * The closest known name to a misspelt one, or undefined when nothing is close enough to be a
 * plausible typo (a suggestion that is far off is worse than none).
 */
export function closest(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  const lower = name.toLowerCase();
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = k;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(name.length, best.length) / 3));
  return bestDist <= limit ? best : undefined;
}

export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const c = closest(name, known);
  return c === undefined ? undefined : `did you mean '${c}'?`;
}

/**
 * What people write for the values of policysim's enumerations (designs, distributions, directions,
 * apply modes, correlation kinds, formats) when they mean one of them: names from other tools and
 * textbooks that no edit distance would find ("tornado" for `oat`).
 */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  oat: ['tornado', 'one-at-a-time', 'one_at_a_time', 'ofat', 'local'],
  lhs: ['latin', 'latin-hypercube', 'latin_hypercube', 'latinhypercube', 'hypercube'],
  sobol: ['saltelli', 'variance', 'sobol-indices'],
  morris: ['elementary-effects', 'elementary_effects', 'ee', 'screening'],
  grid: ['factorial', 'full-factorial', 'full_factorial'],
  'policy-grid': ['policy_grid', 'policygrid', 'policy'],
  normal: ['gauss', 'gaussian', 'norm'],
  truncnormal: ['truncated', 'truncated-normal', 'truncated_normal', 'truncnorm'],
  lognormal: ['log-normal', 'log_normal', 'lognorm'],
  uniform: ['flat', 'unif', 'rectangular'],
  triangular: ['triangle', 'tri', 'triang', 'pert'],
  beta: ['betadist'],
  choice: ['discrete', 'categorical', 'values', 'empirical'],
  at_least: ['>=', 'atleast', 'at-least', 'min', 'minimum', 'above', 'greater', 'ge', 'gte'],
  at_most: ['<=', 'atmost', 'at-most', 'max', 'maximum', 'below', 'less', 'le', 'lte'],
  shift: ['add', 'plus', 'offset', 'additive', 'delta'],
  scale: ['multiply', 'times', 'mult', 'multiplicative', 'factor'],
  replace: ['set', 'override', 'absolute', 'value'],
  gaussian: ['pearson', 'linear', 'normal'],
  rank: ['spearman', 'rank-order'],
  table: ['text', 'txt', 'plain'],
  csv: ['tsv', 'spreadsheet'],
};

/** "did you mean" for a value of an enumeration: a close spelling, or a known synonym among `options`. */
export function suggestValue(value: string, options: readonly string[]): string | undefined {
  const close = didYouMean(value, options);
  if (close) return close;
  const v = value.trim().toLowerCase();
  const meant = options.find((o) => SYNONYMS[o]?.includes(v));
  return meant === undefined ? undefined : `did you mean '${meant}'?`;
}
