import cliProgress from 'cli-progress';
import type { Io } from './io.js';

/** A bar with rate and ETA on stderr when it is a terminal; nothing otherwise. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(io: Io, label: string, unit: string): Progress {
  if (!io.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 20,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = Date.now();
  let started = false;
  return {
    update(done, total) {
      const rate = Math.round(done / Math.max(0.001, (Date.now() - start) / 1000));
      if (!started) {
        bar.start(total, done, { rate });
        started = true;
      } else bar.update(done, { rate });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
