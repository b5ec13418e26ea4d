/**
 * How a drawn (Monte Carlo) or swept (sensitivity) value acts on a scenario's parameter: it is the
 * new value (replace), multiplies the scenario's value (scale), or is added to it (shift). One
 * definition for the samplers, the sweeps and the range checks that describe what a value becomes.
 */
export const ADJUSTMENTS = ['replace', 'scale', 'shift'] as const;
export type Adjustment = (typeof ADJUSTMENTS)[number];

/** The parameter's value after applying `x` to the scenario's value `base`. */
export function adjust(how: Adjustment, base: number, x: number): number {
  return how === 'replace' ? x : how === 'scale' ? base * x : base + x;
}
