/**
 * The bundled executable (scripts/bundle-cli.mjs: dist/cli/policysim.js and its chunks, package.json's
 * bin) against the sources it is made from (tsc's dist/src, bundled): the same output byte for byte,
 * including what depends on files found next to a module (yargs' translations, the worker script, the
 * built-in model and its image, package.json's version); and at start-up it loads its own chunks and
 * Node's built-ins only: no module from node_modules, so never mathjs or piscina.
 *
 * The bundle runs as the child process a user starts; the sources run in this process (`cli`), which
 * spares a second Node start-up for each case. That the process around `main` prints what `main`
 * returns, unbundled, is tests/cli/spawned.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { cliRunning, type ProcessResult, spawnCli } from '../cli/harness.js';

describe('the bundle prints what the modules print', () => {
  const cases: { argv: string[]; env?: Record<string, string> }[] = [
    { argv: ['--help'], env: { LANG: 'de_DE.UTF-8' } }, // yargs finds its German translations
    { argv: ['run', '--format', 'json'] },
    { argv: ['mc', '--runs', '300', '--workers', '1', '--format', 'json'] }, // the worker script
    { argv: ['validate', 'tests/fixtures/bad/three-mistakes.yaml', 'tests/fixtures/models/bad-equations.yaml'] },
    { argv: ['run', '--format', 'jsn'] },
    // csv-parse, loaded on first use from next to the module that reads observed files
    { argv: ['run', 'tests/fixtures/evidence/with-observed.yaml', '--format', 'json'] },
    {
      argv: [
        'validate',
        'tests/fixtures/evidence/bad/quote.csv',
        'tests/fixtures/evidence/bad/many.csv',
        '--model',
        'tests/fixtures/evidence/model.yaml',
      ],
    },
  ];
  const bundled = new Map<string, ProcessResult>();
  const title = (c: (typeof cases)[number]): string =>
    `policysim ${c.argv.join(' ')}${c.env ? ` (${Object.entries(c.env).map(([k, v]) => `${k}=${v}`)})` : ''}`;
  for (const c of cases)
    it(title(c), async () => {
      const [b, sources] = await Promise.all([spawnCli(c.argv, { env: c.env }), cliRunning(c.argv, c).done]);
      bundled.set(title(c), b);
      expect(b.signal).toBeNull();
      expect({ code: b.code, stdout: b.stdout, stderr: b.stderr }).toEqual(sources);
      expect(b.stdout.length + b.stderr.length).toBeGreaterThan(0);
    });
  it('German help is German (the translations were found, not only equal by chance)', () => {
    expect(bundled.get(title(cases[0]!))?.stdout).toContain('Hilfe anzeigen');
  });
});

// Records every ES module the process loads (a loader hook) and every require() of a package.
const TRACE = `data:text/javascript,${encodeURIComponent(`
import { register, Module } from 'node:module';
import { writeSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(
  'export async function load(u, c, next) { process.stderr.write("LOADED " + u + "\\\\n"); return next(u, c); }'));
const load = Module._load;
Module._load = function (request, ...rest) { writeSync(2, 'REQUIRED ' + request + '\\n'); return load.call(this, request, ...rest); };
`)}`;

describe('start-up loads the chunks it needs and nothing from node_modules', () => {
  for (const argv of [['--help'], ['run'], ['validate', 'scenarios/baseline.yaml']])
    it(`policysim ${argv.join(' ')}`, async () => {
      const r = await spawnCli(argv, { nodeArgs: ['--import', TRACE] });
      expect(r.code).toBe(0);
      const loaded = [...r.stderr.matchAll(/^LOADED (.*)$/gm)].map((m) => m[1]!);
      const required = [...r.stderr.matchAll(/^REQUIRED (.*)$/gm)].map((m) => m[1]!);
      expect(loaded.some((u) => u.endsWith('/dist/cli/policysim.js'))).toBe(true);
      expect(loaded.filter((u) => !u.startsWith('node:') && !u.includes('/dist/cli/'))).toEqual([]);
      expect(required.filter((q) => !q.startsWith('node:') && !/^[a-z_/]+$/.test(q))).toEqual([]);
      expect(required.filter((q) => /^(mathjs|piscina|vega|vega-lite|yaml|zod|yargs)$/.test(q))).toEqual([]);
    });
});
