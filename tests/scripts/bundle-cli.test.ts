/**
 * The bundled executable (scripts/bundle-cli.mjs: dist/cli/policysim.js, package.json's bin, which
 * loads the CLI bundled as one script, dist/cli/policysim.cjs, with its V8 code cache) against the
 * sources it is made from (tsc's dist/src, bundled): the same output byte for byte, including what
 * depends on files found next to a module (yargs' translations, the worker script, the built-in model
 * and its image, package.json's version, vega and mathjs loaded from outside the bundle); at start-up
 * it loads its own files and Node's built-ins only: no module from node_modules, so never mathjs or
 * piscina; V8 takes the cache made at build time, and the bundle behaves the same without it or with
 * a cache of another build.
 *
 * The bundle runs as the child process a user starts; the sources run in this process (`cli`), which
 * spares a second Node start-up for each case. That the process around `main` prints what `main`
 * returns, unbundled, is tests/cli/spawned.test.ts's.
 */

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cliRunning, type ProcessResult, ROOT, spawnCli } from '../cli/harness.js';

describe('the bundle prints what the modules print', () => {
  const cases: { argv: string[]; env?: Record<string, string> }[] = [
    { argv: ['--help'], env: { LANG: 'de_DE.UTF-8' } }, // yargs finds its German translations
    { argv: ['run', '--format', 'json'] },
    { argv: ['mc', '--runs', '300', '--workers', '1', '--format', 'json'] }, // the worker script
    { argv: ['validate', 'tests/fixtures/bad/three-mistakes.yaml', 'tests/fixtures/models/bad-equations.yaml'] },
    { argv: ['run', '--format', 'jsn'] },
    // vega and vega-lite, import()ed by the bundle where the charts are drawn
    { argv: ['run', '--format', 'html'], env: { SOURCE_DATE_EPOCH: '1' } },
    // mathjs (eigs) as the bundle requires it
    {
      argv: [
        'calibrate',
        'scenarios/observed/hindcast.yaml',
        '--fit',
        'td_trend',
        '--no-posterior',
        '--format',
        'json',
      ],
    },
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

describe('start-up loads the bundle and nothing from node_modules', () => {
  for (const argv of [['--help'], ['run'], ['validate', 'scenarios/baseline.yaml']])
    it(`policysim ${argv.join(' ')}`, async () => {
      const r = await spawnCli(argv, { nodeArgs: ['--import', TRACE] });
      expect(r.code).toBe(0);
      const loaded = [...r.stderr.matchAll(/^LOADED (.*)$/gm)].map((m) => m[1]!);
      const required = [...r.stderr.matchAll(/^REQUIRED (.*)$/gm)].map((m) => m[1]!);
      // The bin (which --import hooks make Node load through its ES module loader) and Node's built-ins only.
      const own = (u: string): boolean => u === BIN || u === pathToFileURL(BIN).href;
      expect(loaded.filter((u) => !u.startsWith('node:') && !own(u))).toEqual([]);
      expect(required.filter((q) => !q.startsWith('node:') && !/^[a-z_/]+$/.test(q) && !own(q))).toEqual([]);
      expect(required.filter((q) => /^(mathjs|piscina|vega|vega-lite|yaml|zod|yargs)$/.test(q))).toEqual([]);
    });
});

describe('--help starts Node no further than it needs', () => {
  // Node's own modules, as Node lists them when the process ends.
  const dir = mkdtempSync(resolve(ROOT, 'dist', 'load-list-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const preload = resolve(dir, 'load-list.cjs');
  writeFileSync(
    preload,
    "process.on('exit', () => process.stderr.write(process.moduleLoadList.join('\\n') + '\\n'));\n",
  );
  it('without the ES module loader (the bin is CommonJS) or what only a command handler loads', async () => {
    const r = await spawnCli(['--help'], { nodeArgs: ['--require', preload] });
    expect(r.code).toBe(0);
    const modules = r.stderr.split('\n').filter((l) => l.startsWith('NativeModule '));
    expect(modules).toContain('NativeModule vm');
    // A module job is what loading any ES module makes; a checkpoint's zlib, a manifest's crypto, a
    // progress bar's readline (or fs/promises, which loads it) are loaded when a command's handler runs.
    expect(
      modules.filter((m) => /esm\/module_job|^NativeModule (zlib|crypto|readline|internal\/fs\/promises)$/.test(m)),
    ).toEqual([]);
  });
});
/** Whether V8 takes the cache next to a bundle, asked in a new process (the flags a user's `node` has). */
function cacheTaken(bundle: string): { cached: boolean; exports: string[] } {
  const loader = pathToFileURL(resolve(ROOT, 'dist/src/cli/bundle-loader.js')).href;
  const code = `import { loadBundle } from ${JSON.stringify(loader)};
const b = loadBundle(${JSON.stringify(bundle)}, { import: (s) => import(s) });
process.stdout.write(JSON.stringify({ cached: b.cached, exports: Object.keys(b.exports).sort() }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }));
}

describe('the code cache', () => {
  const bundle = resolve(dirname(BIN), 'policysim.cjs');
  // Copies of the bin beside it (in dist/), so that what is found relative to the bundle still is.
  const copies: string[] = [];
  afterAll(() => {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  });
  const copy = (cache: Buffer | undefined): string => {
    const dir = mkdtempSync(resolve(ROOT, 'dist', 'bundle-test-'));
    copies.push(dir);
    cpSync(dirname(BIN), dir, { recursive: true });
    rmSync(resolve(dir, 'policysim.cjs.cache'));
    if (cache) writeFileSync(resolve(dir, 'policysim.cjs.cache'), cache);
    return dir;
  };

  it('made at build time for this bundle, is taken by V8', () => {
    expect(cacheTaken(bundle)).toEqual({
      cached: true,
      exports: ['EXIT_BAD_INPUT', 'EXIT_OK', 'EXIT_RUN_FAILURE', 'main', 'runAsProgram'],
    });
  });

  const cache = readFileSync(`${bundle}.cache`);
  const otherBuild = Buffer.concat([Buffer.from('0'.repeat(64), 'latin1'), cache.subarray(64)]);
  for (const [name, bytes] of [
    ['missing', undefined],
    ['of another build', otherBuild],
  ] as const)
    it(`${name}, is not used, and the bundle prints the same`, async () => {
      const dir = copy(bytes);
      expect(cacheTaken(resolve(dir, 'policysim.cjs')).cached).toBe(false);
      for (const argv of [['--help'], ['run', '--format', 'json']]) {
        const [copied, built] = await Promise.all([
          spawnCli(argv, { script: resolve(dir, 'policysim.js') }),
          spawnCli(argv),
        ]);
        expect(copied).toEqual(built);
        expect(copied.code).toBe(0);
      }
    });
});
