// Bundles the built CLI (dist/src/cli/main.js and what it imports) with esbuild into dist/cli/ (issue 10):
// - policysim.cjs: the whole CLI as one CommonJS script wrapped in a function, so that Node resolves,
//   reads and links one file instead of ~400 modules, and can compile it from a V8 code cache;
// - policysim.cjs.cache: that cache, made here at build time by running the commonest commands once
//   (--help, run, validate) in a child process, and written atomically;
// - policysim.js: the `bin`, a small CommonJS script (src/cli/bin.ts; dist/cli/package.json makes .js
//   CommonJS there) that compiles the script with its cache (src/cli/bundle-loader.ts) and starts the CLI.
//
// The bundle is made from tsc's output, which stays in dist/src/ and is what the bundle refers to
// for files found next to a module: each module's `import.meta.url` is rewritten to what it is
// unbundled (below), so worker scripts, the built-in models, the compiler files the model image is
// hashed from, package.json and yargs' translations are found where they always were.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const outdir = resolve('dist/cli');
const bundleFile = resolve(outdir, 'policysim.cjs');
const ownModules = resolve('dist/src');
const posix = (p) => p.split('\\').join('/');

// piscina starts its threads from its own files; mathjs, vega and vega-lite are loaded by the few
// commands that compile a model, fit one or render a report, and stay as installed.
const external = ['piscina', 'mathjs', 'vega', 'vega-lite'];
// ES modules only: a CommonJS script cannot require() them, so they may only be import()ed.
const esOnly = ['vega', 'vega-lite'];
const dynamicExternal = new RegExp(`\\bimport\\((['"])(${external.join('|')})\\1\\)`);

/** The commands whose code the cache holds compiled: what starts most often. */
const WARM_UP = [['--help'], ['run'], ['validate', 'scenarios/baseline.yaml']];

/**
 * The bundle is a CommonJS script, which has no `import.meta`: each module's use of it is rewritten to
 * the wrapper's `__meta` (src/cli/bundle-loader.ts). `import.meta.url` of an own module becomes its file
 * under dist/src/, relative to the bundle. A dependency's (yargs finds its translations next to its own
 * file) is its file in its package's folder as installed where the bundle runs, which need not be the
 * layout here (__meta.packageUrl).
 * `import()` of a package left out of the bundle goes through `__meta.import`, as Node's import() is not
 * available to a vm script.
 */
const noImportMeta = {
  name: 'no-import-meta',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${esOnly.join('|')})$`) }, ({ path, kind, importer }) =>
      kind === 'dynamic-import'
        ? undefined
        : { errors: [{ text: `${path} is an ES module only: import() it where it is used (${importer})` }] },
    );
    b.onLoad({ filter: /\.[cm]?js$/ }, async ({ path }) => {
      let text = await readFile(path, 'utf8');
      if (!text.includes('import.meta') && !dynamicExternal.test(text)) return undefined;
      text = text.replace(new RegExp(dynamicExternal, 'g'), (_m, _q, pkg) => `__meta.import(${JSON.stringify(pkg)})`);
      if (path.startsWith(`${ownModules}/`)) {
        text = text.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(posix(relative(outdir, path)))}, __meta.url).href`,
        );
      } else if (text.includes('import.meta.url')) {
        const m = /^(.*\/node_modules\/)((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(posix(path));
        if (!m || m[3].includes('node_modules/'))
          throw new Error(`bundle-cli: cannot place import.meta.url of ${path}; make its package external`);
        const url = `new URL(${JSON.stringify(`./${m[3]}`)}, __meta.packageUrl(${JSON.stringify(m[2])})).href`;
        text = text.replaceAll('import.meta.url', url);
      }
      text = text.replaceAll('import.meta.resolve(', '__meta.resolve(');
      if (text.includes('import.meta')) throw new Error(`bundle-cli: ${path} uses import.meta beyond url and resolve`);
      return { contents: text, loader: 'js' };
    });
  },
};

/**
 * One copy of each version of a package: npm installs a package once per dependant when versions
 * conflict further up (string-width 8.3.0 three times, beside cli-progress's 4.2.3), and each copy
 * would be bundled and set up at start-up on its own (string-width builds an Intl.Segmenter and an
 * emoji regex, ~20 ms each). Copies of the same name and version are the same code: every import of
 * one is given the copy whose directory sorts first.
 */
const dedupe = {
  name: 'dedupe-packages',
  setup(b) {
    const copies = new Map(); // package name -> [directory, version][] as installed
    const installed = (name) => {
      if (!copies.has(name)) {
        const found = [];
        const visit = (nodeModules) => {
          if (!existsSync(nodeModules)) return;
          const dir = resolve(nodeModules, name);
          if (existsSync(resolve(dir, 'package.json')))
            found.push([dir, JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8')).version]);
          for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
            if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
            const scoped = entry.name.startsWith('@')
              ? readdirSync(resolve(nodeModules, entry.name)).map((n) => `${entry.name}/${n}`)
              : [entry.name];
            for (const pkg of scoped) visit(resolve(nodeModules, pkg, 'node_modules'));
          }
        };
        visit(resolve('node_modules'));
        copies.set(
          name,
          found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        );
      }
      return copies.get(name);
    };
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.deduped || args.path.startsWith('node:')) return undefined;
      const { kind, importer, resolveDir } = args;
      const r = await b.resolve(args.path, {
        kind,
        importer,
        resolveDir,
        pluginData: { ...args.pluginData, deduped: true },
      });
      const m = /^(.*\/node_modules\/((?:@[^/]+\/)?[^/]+))\/(.*)$/.exec(r.path);
      if (r.errors.length > 0 || r.external || !m) return r;
      const version = installed(m[2]).find(([dir]) => dir === m[1])?.[1];
      const first = installed(m[2]).find(([, v]) => v === version)?.[0] ?? m[1];
      return { ...r, path: `${first}/${m[3]}` };
    });
  },
};

/**
 * string-width (yargs' help layout: cliui, wrap-ansi) builds an Intl.Segmenter and Unicode-set regexes
 * when it is loaded, ~45 ms, though a command's parse measures no text and help is printable ASCII and
 * Latin-1, whose width is its length (src/cli/string-width-shortcut.ts, checked against the version
 * it was read from). Its imports are given a module that answers those at once and loads string-width
 * (as a CommonJS require, which the bundle defers) for any other text.
 */
const STRING_WIDTH = '8.3.0';
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const { kind, importer, resolveDir } = args;
      const r = await b.resolve(args.path, {
        kind,
        importer,
        resolveDir,
        pluginData: { ...args.pluginData, real: true },
      });
      const pkg = JSON.parse(readFileSync(resolve(dirname(r.path), 'package.json'), 'utf8'));
      // Another version (cli-progress's 4.2.3, which it loads only when it draws) is left as it is.
      if (pkg.version !== STRING_WIDTH) return r;
      return { path: r.path, namespace: 'lazy-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, ({ path }) => ({
      resolveDir: dirname(path),
      loader: 'js',
      contents: `import { shortcutWidth } from ${JSON.stringify(resolve(ownModules, 'cli/string-width-shortcut.js'))};
let real;
export default function stringWidth(input, options) {
  const width = shortcutWidth(input, options);
  if (width !== undefined) return width;
  real ??= require(${JSON.stringify(path)}).default;
  return real(input, options);
}`,
    }));
  },
};

// Identifiers are minified too (1.18 -> 0.84 MB: less to read, compile and cache at start-up);
// keepNames keeps every function's and class's .name, which messages and instanceof-free checks may
// print. charset 'ascii' (esbuild's default, stated): the loader reads an ASCII bundle as Latin-1.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  keepNames: true,
  charset: 'ascii',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
};

/** Writes a file as a whole or not at all: to a temporary name first, then renamed over. */
function writeAtomically(file, bytes) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** In the child process: runs the warm-up commands in-process, then writes the cache of what they compiled. */
async function makeCodeCache() {
  const { loadBundle, cacheFileBytes, cacheFileOf } = await import(
    pathToFileURL(resolve('dist/src/cli/bundle-loader.js')).href
  );
  const bundle = loadBundle(bundleFile, { import: (s) => import(s) }, { useCache: false });
  const quiet = { stdout() {}, stderr() {}, isTTY: false };
  for (const argv of WARM_UP) {
    const code = await bundle.exports.main(argv, quiet);
    if (code !== 0) throw new Error(`bundle-cli: warm-up 'policysim ${argv.join(' ')}' exited ${code}`);
  }
  writeAtomically(cacheFileOf(bundleFile), cacheFileBytes(bundle.source, bundle.script));
}

async function bundleCli() {
  rmSync(outdir, { recursive: true, force: true }); // nothing of an earlier build stays behind
  mkdirSync(outdir, { recursive: true });
  const cli = await build({
    ...common,
    metafile: Boolean(process.env.BUNDLE_META),
    entryPoints: ['dist/src/cli/main.js'],
    outfile: bundleFile,
    format: 'cjs',
    external,
    // A function expression the loader calls with what the script needs; strict, as the ES modules were.
    banner: { js: '(function (require, module, exports, __meta) {"use strict";' },
    footer: { js: '})' },
    plugins: [lazyStringWidth, dedupe, noImportMeta],
  });
  const [script] = cli.outputFiles;
  // The build line ties the cache to this very text (V8 checks only the length of the source).
  const id = createHash('sha256').update(script.contents).digest('hex');
  writeAtomically(bundleFile, Buffer.concat([script.contents, Buffer.from(`\n// policysim-build ${id}\n`)]));
  if (process.env.BUNDLE_META) writeFileSync(process.env.BUNDLE_META, JSON.stringify(cli.metafile));

  const bin = await build({
    ...common,
    entryPoints: ['dist/src/cli/bin.js'],
    outfile: resolve(outdir, 'policysim.js'),
    format: 'cjs',
  });
  // The bin keeps its name (package.json's bin, the docs' `node dist/cli/policysim.js`) and is CommonJS:
  // the nearest package.json of a .js file says how Node loads it.
  writeAtomically(resolve(outdir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  writeAtomically(bin.outputFiles[0].path, bin.outputFiles[0].contents);
  chmodSync(resolve(outdir, 'policysim.js'), 0o755);

  // A new process, as the cache must be made by the Node (and V8 flags) that will read it.
  const made = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--code-cache'], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error(`bundle-cli: making the code cache failed (exit ${made.status})`);
}

await (process.argv[2] === '--code-cache' ? makeCodeCache() : bundleCli());
