/**
 * Every number in the default model has a source, and every source points somewhere a reader can check:
 * a section of the paper, an entry of docs/data-sources.md that exists, or a stated assumption with its range.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..', '..');
const model = parse(readFileSync(resolve(ROOT, 'src/models/northeast.yaml'), 'utf8')) as Record<string, unknown>;
const doc = readFileSync(resolve(ROOT, 'docs/data-sources.md'), 'utf8');

/** The ids defined in the first column of the document's tables (P1, S4, D3, ...). */
const definedIds = new Set([...doc.matchAll(/^\| ([PSD]\d+) \|/gm)].map((m) => m[1]!));

/** Every `source:` in the model with the path it sits at. */
function sources(node: unknown, path: string, out: Array<[string, string]>): Array<[string, string]> {
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'source' && typeof v === 'string') out.push([path, v]);
      else sources(v, path ? `${path}.${k}` : k, out);
    }
  }
  return out;
}

/** The ids a source cites: "data-sources S1-S3, D7" -> S1, S2, S3, D7. */
function citedIds(source: string): string[] {
  const ids: string[] = [];
  for (const m of source.matchAll(/data-sources ((?:[PSD]\d+(?:-[PSD]\d+)?(?:, )?)+)/g)) {
    for (const part of m[1]!.split(', ')) {
      const [from, to] = part.split('-');
      const kind = from![0]!;
      const a = Number(from!.slice(1));
      const b = to ? Number(to.slice(1)) : a;
      for (let i = a; i <= b; i++) ids.push(`${kind}${i}`);
    }
  }
  return ids;
}

describe('sources of the Northeast model', () => {
  const all = sources(model, '', []);

  it('every parameter and every state has a source', () => {
    const params = Object.keys(model['parameters'] as object);
    const states = Object.keys(model['states'] as object);
    const withSource = new Set(all.map(([p]) => p));
    const missing = [...params.map((p) => `parameters.${p}`), ...states.map((s) => `states.${s}`)].filter(
      (p) => !withSource.has(p),
    );
    expect(missing).toEqual([]);
    expect(all.length).toBeGreaterThan(50);
  });

  it('each source is a paper section, a data-sources entry or a stated assumption with a range', () => {
    const bad = all.filter(([, s]) => !/§\d|data-sources [PSD]\d|assumption \(range [^)]+\)/.test(s));
    expect(bad).toEqual([]);
  });

  it('each data-sources id cited exists in docs/data-sources.md', () => {
    expect(definedIds.size).toBeGreaterThan(30);
    const unknown = all.flatMap(([p, s]) =>
      citedIds(s)
        .filter((id) => !definedIds.has(id))
        .map((id) => `${p}: ${id}`),
    );
    expect(unknown).toEqual([]);
  });

  it('no source points at a file outside the repository', () => {
    expect(all.filter(([, s]) => s.includes('DOMAIN'))).toEqual([]);
  });

  it('no scenario, model, document or source file cites DOMAIN.md, which is outside the repository', () => {
    const tracked = execFileSync('git', ['ls-files', '*.yaml', '*.md', 'src/**.ts'], { cwd: ROOT, encoding: 'utf8' });
    const citing = tracked.split('\n').filter((f) => f && readFileSync(resolve(ROOT, f), 'utf8').includes('DOMAIN.md'));
    expect(citing).toEqual([]);
  });
});
