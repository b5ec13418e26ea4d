import { McRunFailed, type McRunFailure } from '../montecarlo/run-failure.js';
import { RunError } from '../util/diagnostics.js';
import { shellQuote } from './command-invocation.js';

/** The command that replays a failed Monte Carlo run on its own (with the same `--set` flags). */
export function replayCommand(f: McRunFailure, sets: readonly string[]): string {
  const words = ['policysim', 'run', f.scenarioFile, '--mc-run', String(f.run), '--seed', String(f.seed)];
  for (const s of sets) words.push('--set', s);
  return words.map(shellQuote).join(' ');
}

/** The core's failure of a Monte Carlo run, worded for the user: what failed, then how to replay it. */
export function withReplayHint(e: McRunFailed, sets: readonly string[]): RunError {
  return new RunError(`${e.message}\n  replay it with: ${replayCommand(e.failure, sets)}`);
}

/** An error as the command reports it: a failed Monte Carlo run with the command that replays it. */
export function replayable(e: unknown, sets: readonly string[]): unknown {
  return e instanceof McRunFailed ? withReplayHint(e, sets) : e;
}
