/**
 * The command line a result came from, recorded in its JSON (`command`) and shown in the HTML
 * report's header, so a reader can recompute the numbers.
 */

/**
 * Options that choose how or where a result is computed or written, never its numbers: left out of
 * the recorded command so that, for example, `--workers 1` and `--workers 8` give byte-identical JSON,
 * and a sharded, checkpointed or resumed job records the command of the same job on one machine.
 * Each takes a value.
 */
export const HOW_NOT_WHAT = [
  '--workers',
  '--chunk',
  '--out',
  '--format',
  '--save-runs',
  '--design-out',
  '--posterior-out',
  '--shard',
  '--checkpoint',
  '--checkpoint-every',
  '--resume',
] as const;

export interface Invocation {
  /** The arguments after `policysim`, as given. */
  readonly argv: readonly string[];
}

export const NO_INVOCATION: Invocation = { argv: [] };

/** `policysim ARGS`, shell-quoted, without the options of HOW_NOT_WHAT; null when there is no command line. */
export function reproducingCommand(inv: Invocation): string | null {
  if (inv.argv.length === 0) return null;
  const kept: string[] = [];
  for (let i = 0; i < inv.argv.length; i++) {
    const arg = inv.argv[i]!;
    const name = arg.split('=')[0]!;
    if ((HOW_NOT_WHAT as readonly string[]).includes(name)) {
      if (!arg.includes('=')) i++;
      continue;
    }
    kept.push(arg);
  }
  return ['policysim', ...kept].map(shellQuote).join(' ');
}

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
