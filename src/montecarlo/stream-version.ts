/**
 * The version of the per-run random streams (run k draws from seedrandom's Tyche-i seeded with
 * `seed/k`, in the order the README gives). Bump it whenever a change makes any run draw different
 * numbers: it is part of every manifest, so `merge` and `--resume` refuse to mix runs from two versions.
 */
export const RANDOM_STREAM_VERSION = 'tychei-seed/k-1';
