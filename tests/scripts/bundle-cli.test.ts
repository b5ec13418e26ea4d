/**
 * The bundled executable (scripts/bundle-cli.mjs: dist/cli/policysim.js and its chunks, package.json's
 * bin) against the unbundled modules it is made from (dist/src/cli/main.js): the same output byte for
 * byte, including what depends on files found next to a module (yargs' translations, the worker
 * script, the built-in model and its image, package.json's version); and at start-up it loads its own
 * chunks and Node's built-ins only: no module from node_modules, so never mathjs or piscina.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, spawnCli } from '../cli/harness.js';

const MODULES = resolve(ROOT, 'dist/src/cli/main.js');

describe('the bundle prints what the modules print', () => {
  const cases: { argv: string[]; env?: Record<string, string> }[] = [
    { argv: ['--help'], env: { LANG: 'de_DE.UTF-8' } }, // yargs finds its German translations
    { argv: ['run', '--format', 'json'] },
    { argv: ['mc', '--runs', '300', '--workers', '1', '--format', 'json'] }, // the worker script
    { argv: ['validate', 'tests/fixtures/bad/three-mistakes.yaml', 'tests/fixtures/models/bad-equations.yaml'] },
    { argv: ['run', '--format', 'jsn'] },
  ];
  for (const c of cases)
    it(`policysim ${c.argv.join(' ')}${c.env ? ` (${Object.entries(c.env).map(([k, v]) => `${k}=${v}`)})` : ''}`, async () => {
      const [bundled, modules] = await Promise.all([
        spawnCli(c.argv, { env: c.env }),
        spawnCli(c.argv, { env: c.env, script: MODULES }),
      ]);
      expect(BIN).not.toBe(MODULES);
      expect(bundled).toEqual(modules);
      expect(bundled.stdout.length + bundled.stderr.length).toBeGreaterThan(0);
    });
  it('German help is German (the translations were found, not only equal by chance)', async () => {
    const r = await spawnCli(['--help'], { env: { LANG: 'de_DE.UTF-8' } });
    expect(r.stdout).toContain('Hilfe anzeigen');
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
