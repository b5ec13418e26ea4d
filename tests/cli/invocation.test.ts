/**
 * The command recorded in every JSON result (`command`) and shown in the report: the arguments as
 * given, shell-quoted, without the options that change how or where a result is computed or written
 * (so that --workers 1 and --workers 8 write the same bytes).
 */
import { describe, expect, it } from 'vitest';
import { reproducingCommand, shellQuote } from '../../src/cli/command-invocation.js';
import { cli } from './harness.js';

describe('reproducingCommand', () => {
  it('drops --workers, --chunk, --out, --format, --save-runs, --design-out and their values, in both spellings', () => {
    expect(
      reproducingCommand({
        argv: [
          'mc',
          's.yaml',
          '--runs',
          '20000',
          '--workers',
          '2',
          '--chunk=512',
          '--out',
          'r.html',
          '--format=json',
          '--save-runs',
          'x.csv',
          '--seed',
          '7',
        ],
      }),
    ).toBe('policysim mc s.yaml --runs 20000 --seed 7');
    expect(reproducingCommand({ argv: ['sweep', 'f.yaml', '--design-out', 'd.csv'] })).toBe('policysim sweep f.yaml');
  });

  it('quotes what a shell would split or expand', () => {
    expect(shellQuote('my scenario.yaml')).toBe("'my scenario.yaml'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('ftz.jilin=1')).toBe('ftz.jilin=1');
    expect(reproducingCommand({ argv: [] })).toBeNull();
  });

  it('mc --format json records it, the same with any --workers', async () => {
    const args = ['mc', '--runs', '300', '--set', 'ftz=1', '--format', 'json'];
    const [a, b] = await Promise.all([
      cli(...args, '--workers', '0'),
      cli(...args, '--workers', '0', '--chunk', '256'),
    ]);
    expect((JSON.parse(a.stdout) as { command: string }).command).toBe('policysim mc --runs 300 --set ftz=1');
    expect(b.stdout).toBe(a.stdout);
  });
});
