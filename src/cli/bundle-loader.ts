import { isAscii } from 'node:buffer';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import type { main, runAsProgram } from './main.js';

/**
 * Loads the bundled CLI (scripts/bundle-cli.mjs: dist/cli/policysim.cjs) with V8's code cache made
 * for it at build time, which skips most of the parsing and compiling at start-up (issue 10). Node 20
 * can cache the code of a script, not of an ES module: the bundle is one CommonJS script wrapped in a
 * function, compiled here with vm.Script. A cache that V8 refuses (another Node version, other V8
 * flags) or that is missing or was made for another bundle is only a lost shortcut: the bundle is then
 * compiled from its text, and behaves the same.
 */

/** What the bundle's wrapper receives for what its ES modules had: scripts/bundle-cli.mjs rewrites `import.meta` to it. */
export interface BundleMeta {
  /** The bundle's own URL: each module's `import.meta.url` is its unbundled file, relative to this. */
  readonly url: string;
  /**
   * The URL (ending in `/`) of an installed package's folder as Node's lookup finds it from the bundle:
   * a dependency's `import.meta.url` is its file in there (yargs finds its translations next to it).
   */
  readonly packageUrl: (name: string) => string;
  /** A package's entry as require() resolves it beside the bundle: what a dependency's import.meta.resolve is given. */
  readonly resolve: (specifier: string) => string;
  /** import() beside the bundle: the ES-only packages (vega, vega-lite) are loaded with it. */
  readonly import: (specifier: string) => Promise<unknown>;
}

/**
 * A package's folder: the first of Node's lookup folders for it (require.resolve.paths: node_modules
 * beside the bundle, then each parent's) that holds it. Not import.meta.resolve, which a CommonJS bin has
 * not, and which resolves the package's entry through its exports map: the three resolutions of yargs and
 * yargs-parser that every start made took ~4.4 ms; this ~0.2 ms. Folders are real paths, as an ES module's
 * import.meta.url is.
 */
function packageFinder(bundleFile: string): (name: string) => string {
  const lookup = createRequire(bundleFile).resolve.paths;
  const found = new Map<string, string>();
  return (name) => {
    let url = found.get(name);
    if (url === undefined) {
      const dir = (lookup(name) ?? []).map((d) => join(d, name)).find((d) => existsSync(join(d, 'package.json')));
      if (dir === undefined) throw new Error(`policysim: the package ${name} is not installed where ${bundleFile} is`);
      url = `${pathToFileURL(realpathSync(dir)).href}/`;
      found.set(name, url);
    }
    return url;
  };
}

export interface BundleExports {
  readonly main: typeof main;
  readonly runAsProgram: typeof runAsProgram;
}

/** The last line of the bundle names its build; the cache file starts with the same line. */
const BUILD_LINE = /\n\/\/ policysim-build ([0-9a-f]{64})\n$/;

export const cacheFileOf = (bundleFile: string): string => `${bundleFile}.cache`;

/** The build id on the bundle's last line, or undefined. */
export function buildId(source: string): string | undefined {
  return BUILD_LINE.exec(source.slice(-100))?.[1];
}

/** The V8 cache of this build of the bundle from its cache file, if there is one made for it. */
function readCache(bundleFile: string, id: string | undefined): Buffer | undefined {
  if (id === undefined) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFileOf(bundleFile));
  } catch {
    return undefined;
  }
  return bytes.subarray(0, id.length).toString('latin1') === id ? bytes.subarray(id.length) : undefined;
}

/** The cache file's contents for a script compiled from the bundle (its build id, then V8's data). */
export function cacheFileBytes(source: string, script: Script): Buffer {
  const id = buildId(source);
  if (id === undefined) throw new Error('the bundle has no build line');
  return Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]);
}

export interface LoadedBundle {
  readonly exports: BundleExports;
  readonly script: Script;
  readonly source: string;
  /** Whether a cache was given and V8 took it. */
  readonly cached: boolean;
}

/**
 * The bundle's text. esbuild writes it in ASCII (charset 'ascii'), whose UTF-8 is its Latin-1: read so,
 * V8 is given a one-byte string without a UTF-8 decoding pass (1.18 MB: ~3.6 -> ~2.5 ms). Any other text is UTF-8.
 */
function readText(file: string): string {
  const bytes = readFileSync(file);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** Compiles and runs the bundle (with its cache unless `useCache` is false) and returns what it exports. */
export function loadBundle(
  bundleFile: string,
  meta: Pick<BundleMeta, 'import'>,
  { useCache = true }: { useCache?: boolean } = {},
): LoadedBundle {
  const source = readText(bundleFile);
  const cachedData = useCache ? readCache(bundleFile, buildId(source)) : undefined;
  const script = new Script(source, { filename: bundleFile, ...(cachedData ? { cachedData } : {}) });
  const wrapper = script.runInThisContext() as (
    require: NodeJS.Require,
    module: { exports: unknown },
    exports: unknown,
    meta: BundleMeta,
  ) => void;
  const module = { exports: {} as BundleExports };
  const require = createRequire(bundleFile);
  wrapper(require, module, module.exports, {
    ...meta,
    url: pathToFileURL(bundleFile).href,
    packageUrl: packageFinder(bundleFile),
    resolve: (specifier) => pathToFileURL(require.resolve(specifier)).href,
  });
  return { exports: module.exports, script, source, cached: cachedData !== undefined && !script.cachedDataRejected };
}
