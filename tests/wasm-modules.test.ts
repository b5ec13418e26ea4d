/**
 * Each committed WebAssembly module (src/**\/*-wasm.ts) is what its .wat assembles to with the pinned
 * wabt: nobody edits the bytes, and a changed .wat without `node scripts/build-fold-wasm.mjs` (run by
 * `npm run build`) fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleWat, moduleSource, WASM_MODULES } from '../scripts/wasm-modules.mjs';

describe('generated WebAssembly modules', () => {
  it.each(WASM_MODULES.map((m) => [m.ts, m.wat, m] as const))('%s is %s assembled', async (ts, wat, module) => {
    const text = readFileSync(new URL(`../${wat}`, import.meta.url), 'utf8');
    const committed = readFileSync(new URL(`../${ts}`, import.meta.url), 'utf8');
    expect(committed).toBe(moduleSource(module, await assembleWat(text)));
  });
});
