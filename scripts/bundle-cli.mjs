// Bundles the built CLI (dist/src/cli/bin.js and what it imports) with esbuild into dist/cli/:
// policysim.js (the `bin`) and chunks for what the commands import lazily. One file per chunk
// instead of ~400 modules cuts Node's per-module resolve, read and link cost at start-up (issue 10).
//
// The bundle is made from tsc's output, which stays in dist/src/ and is what the bundle refers to
// for files found next to a module: each module's `import.meta.url` is rewritten to what it is
// unbundled (below), so worker scripts, the built-in models, the compiler files the model image is
// hashed from, package.json and yargs' translations are found where they always were.
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const outdir = resolve('dist/cli');
const ownModules = resolve('dist/src');
const posix = (p) => p.split('\\').join('/');

/**
 * `import.meta.url` of each bundled module, as it would be unbundled. An own module's is its file under
 * dist/src/, relative to the chunk. A dependency's (yargs finds its translations next to its own file)
 * is found from its package as installed where the bundle runs, which need not be the layout here.
 */
const originalUrl = {
  name: 'original-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      let url;
      if (path.startsWith(`${ownModules}/`)) {
        url = `new URL(${JSON.stringify(posix(relative(outdir, path)))}, import.meta.url).href`;
      } else {
        const m = /^(.*\/node_modules\/)((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(posix(path));
        if (!m || m[3].includes('node_modules/'))
          throw new Error(`bundle-cli: cannot place import.meta.url of ${path}; make its package external`);
        const entry = fileURLToPath(import.meta.resolve(m[2]));
        const rel = posix(relative(dirname(entry), path));
        url = `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, import.meta.resolve(${JSON.stringify(m[2])})).href`;
      }
      return { contents: text.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true }); // no chunk of an earlier build stays behind
const result = await build({
  metafile: Boolean(process.env.BUNDLE_META),
  entryPoints: { policysim: 'dist/src/cli/bin.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // piscina starts its threads from its own files; mathjs, vega and vega-lite are loaded by the few
  // commands that compile a model or render a report, and stay as installed.
  external: ['piscina', 'mathjs', 'vega', 'vega-lite'],
  // CommonJS dependencies (yaml, cli-progress) require Node's built-ins: give the chunks a require.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [originalUrl],
});
chmodSync(resolve(outdir, 'policysim.js'), 0o755);
if (process.env.BUNDLE_META) writeFileSync(process.env.BUNDLE_META, JSON.stringify(result.metafile));
