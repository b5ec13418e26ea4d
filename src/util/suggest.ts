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
