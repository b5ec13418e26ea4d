import type { Io } from './io.js';

/** A bar with rate and ETA on stderr when it is a terminal; nothing otherwise. */
export interface Progress {
  update(done: number, total: number): void;
  /** Remove the bar from the terminal (idempotent; later updates are ignored), before any other message. */
  stop(): void;
}

/** cli-progress (and its string-width, emoji regex, readline) is loaded only when a bar is drawn: not at start-up. */
async function progressBar(io: Io, label: string, unit: string): Promise<Progress> {
  if (!io.isTTY) return { update: () => {}, stop: () => {} };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      stream: io.terminal ?? process.stderr,
      hideCursor: true,
      etaBuffer: 20,
      fps: 10,
      // The line is cleared, not left behind: a message printed after it (`interrupted ...`, `wrote
      // ...`) must not be drawn over the remains of the bar.
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  let started = false;
  let stopped = false;
  return {
    update(done, total) {
      if (stopped) return;
      const rate = Math.round(done / Math.max(0.001, (Date.now() - start) / 1000));
      if (!started) {
        bar.start(total, done, { rate });
        started = true;
      } else bar.update(done, { rate });
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}

/** Work at least this big (model evaluations) is announced on stderr before it starts. */
export const ANNOUNCE_EVALUATIONS = 1_000_000;

/**
 * Say how much work is about to start (`mc: 5,000,000 runs on 2 workers`) when it is long, so that
 * a mistyped size shows before minutes pass. Printed after the interrupt handler is in place.
 */
export function announce(io: Io, evaluations: number, text: string): void {
  if (evaluations >= ANNOUNCE_EVALUATIONS) io.stderr(`${text}\n`);
}

/**
 * Long work under its progress bar, the same in every command: at an interrupt the bar goes first (so that
 * the message is not drawn over what is left of it), then `interrupted: <stopping>`; however the work ends,
 * the bar is removed and the listener with it. The caller handles the outcome (partial, interrupted, failed).
 */
export async function withProgressBar<T>(
  io: Io,
  signal: AbortSignal,
  what: { label: string; unit: string; stopping: string },
  work: (bar: Progress) => Promise<T>,
): Promise<T> {
  const bar = await progressBar(io, what.label, what.unit);
  const onInterrupt = (): void => {
    bar.stop();
    io.stderr(`interrupted: ${what.stopping}\n`);
  };
  if (signal.aborted) onInterrupt();
  else signal.addEventListener('abort', onInterrupt, { once: true });
  try {
    return await work(bar);
  } finally {
    bar.stop();
    signal.removeEventListener('abort', onInterrupt);
  }
}
