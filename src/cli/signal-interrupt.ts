import { removePendingTemporaries } from '../report/atomic-write.js';

/** Exit codes for an interrupted command: 128 + the signal's number, as shells report it. */
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Ctrl-C (SIGINT) and SIGTERM, handled the same way in every command. Long work (mc, sweep) claims the
 * interrupt before it starts loading: the first signal then aborts `signal` and the command stops
 * cleanly — partial result written and marked, or nothing — and exits with `exitCode()`. When no
 * command has claimed it (loading in `run`, say), or on a second signal, the process exits at once,
 * after removing any temporary output file.
 */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** The exit code for the signal received: 130 for SIGINT, 143 for SIGTERM. */
  exitCode(): number;
  /** The command handles the signal itself until the returned function is called. */
  claim(): () => void;
}

/** An interrupt that never fires: commands driven in-process (tests) get this one. */
export const NO_INTERRUPT: Interrupt = {
  signal: new AbortController().signal,
  exitCode: () => EXIT_SIGINT,
  claim: () => () => {},
};

/**
 * Runs long work with the interrupt claimed from the first moment (before loading: a signal while the
 * files load or compile stops the command cleanly) and released however the work ends. Every long
 * command's handler is this call.
 */
export async function withClaimedInterrupt(
  interrupt: Interrupt | undefined,
  work: (interrupt: Interrupt) => Promise<void>,
): Promise<void> {
  const claimed = interrupt ?? NO_INTERRUPT;
  const release = claimed.claim();
  try {
    await work(claimed);
  } finally {
    release();
  }
}

/**
 * Install the process's SIGINT and SIGTERM handlers (the entry point does, before anything else: a
 * signal during loading, compiling or the pilot must not kill the process without a word) and return
 * the Interrupt they drive. `write` prints to stderr.
 */
export function installInterruptHandlers(write: (text: string) => void): Interrupt {
  const abort = new AbortController();
  let received: StopSignal | undefined;
  let claims = 0;
  const exitCode = (): number => (received === 'SIGTERM' ? EXIT_SIGTERM : EXIT_SIGINT);
  const exitNow = (): never => {
    removePendingTemporaries();
    process.exit(exitCode());
  };
  const onSignal = (sig: StopSignal): void => {
    if (received !== undefined) {
      write(`\ninterrupted again (${sig}): exiting now\n`);
      return exitNow();
    }
    received = sig;
    if (claims === 0) {
      write(`\ninterrupted (${sig})\n`);
      return exitNow();
    }
    abort.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  // Whatever the route out, no temporary file stays behind.
  process.on('exit', removePendingTemporaries);
  return {
    signal: abort.signal,
    exitCode,
    claim() {
      claims++;
      let released = false;
      return () => {
        if (!released) claims--;
        released = true;
      };
    },
  };
}
