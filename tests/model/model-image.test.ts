/**
 * The built-in model's build-time image (src/model/model-image.ts, written by `npm run build`): used
 * only when made from this very model file by this compiler, and then the same model — same
 * generated sources, same numbers — as compiling the file now.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel, withUncertainties } from '../../src/model/compile.js';
import { loadModel } from '../../src/model/load-model.js';
import { shockableEquations } from '../../src/model/shockable.js';
import { Projector } from '../../src/project/projector.js';

// The built modules (npm test builds first): the image is checked against dist's compiler.
const dist = (path: string): Promise<unknown> => import(new URL(`../../dist/src/${path}`, import.meta.url).href);
const { loadModel: loadBuiltModel, resolveModelPath } = (await dist(
  'model/load-model.js',
)) as typeof import('../../src/model/load-model.js');
const { imagePath, loadModelImage, modelData, modelImageText, parseModelImage } = (await dist(
  'model/model-image.js',
)) as typeof import('../../src/model/model-image.js');

const dir = mkdtempSync(join(tmpdir(), 'policysim-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const builtYaml = resolveModelPath('builtin:northeast', process.cwd());
const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('built-in model image', () => {
  it('is what the build wrote, and gives the sources and numbers of a fresh compile', () => {
    const fromImage = loadModelImage(builtYaml, 'builtin:northeast');
    expect(fromImage).toBeDefined();
    const fresh = loadModel('builtin:northeast');
    expect(fromImage!.sources).toEqual(fresh.sources);
    // Equation locations name the model file where it is now (src/ for the fresh compile here).
    const srcYaml = fresh.equations[0]!.location!.file;
    expect(fromImage!.equations.map((e) => e.location!.file === builtYaml)).not.toContain(false);
    expect(fromImage!.equations.map((e) => ({ ...e, location: { ...e.location!, file: srcYaml } }))).toEqual(
      fresh.equations,
    );
    expect(fromImage!.parameters).toEqual(fresh.parameters);
    expect(fromImage!.file).toEqual(fresh.file);
    // The built loader uses it for builtin:northeast.
    expect(loadBuiltModel('builtin:northeast').sources).toEqual(fresh.sources);
    const P = fresh.defaultParams();
    expect(fromImage!.defaultParams()).toEqual(P);
    const L = new Float64Array(21 * fresh.leverBlock).fill(0.5);
    const a = new Projector(fromImage!, 2035).run(P, L);
    const b = new Projector(fresh, 2035).run(P, L);
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(fromImage!.seriesIndex('trade_dependence', 'northeast')).toBe(
      fresh.seriesIndex('trade_dependence', 'northeast'),
    );
  });

  it('holds the checked model: Monte Carlo regenerates its kernel without compiling the file', () => {
    const fromImage = loadModelImage(builtYaml, 'builtin:northeast')!;
    const fresh = loadModel('builtin:northeast');
    const uncertain = {
      shocked: shockableEquations(fresh.file).map((e) => e.name),
      drawn: fresh.parameters.map((p) => p.name),
    };
    const regenerated = withUncertainties(fromImage, uncertain);
    expect(regenerated.shockBlock).toBeGreaterThan(0);
    expect(regenerated.sources).toEqual(compileModel(fresh.file, 'builtin:northeast', undefined, uncertain).sources);
  });

  it('decodes to exactly the data compiled from the YAML, its infinite domain bounds included', () => {
    const text = readFileSync(imagePath(builtYaml), 'utf8');
    const img = parseModelImage(text);
    expect(img.modelFile).toBe(builtYaml);
    const fresh = modelData(loadModel('builtin:northeast'));
    const srcYaml = fresh.equations[0]!.location!.file;
    const equations = fresh.equations.map((e) =>
      e.location?.file === srcYaml ? { ...e, location: { ...e.location, file: builtYaml } } : e,
    );
    // toEqual tells -0 from 0 and matches NaN; an image holds no functions or undefined values.
    expect(img.model).toEqual({ ...fresh, equations });
    expect(JSON.stringify(img.model)).toContain('null'); // the YAML's open domains, written as JSON's null
    expect((JSON.parse(text) as { special: unknown[] }).special.length).toBeGreaterThan(0);
  });

  it('writes Infinity, -Infinity, NaN and -0 out of band and reads them back exactly', () => {
    const model = { a: [1, -0, 0, Infinity], b: { c: -Infinity, d: [[NaN, 2]], e: null }, f: '-0' };
    const img = { modelFile: 'm.yaml', modelSha256: 'x', compilerSha256: 'y', model } as unknown as Parameters<
      typeof modelImageText
    >[0];
    const text = modelImageText(img);
    expect(JSON.parse(text)).toEqual({
      ...img,
      model: { a: [1, 0, 0, null], b: { c: null, d: [[null, 2]], e: null }, f: '-0' },
      special: [
        [['model', 'a', 1], '-0'],
        [['model', 'a', 3], 'Infinity'],
        [['model', 'b', 'c'], '-Infinity'],
        [['model', 'b', 'd', 0, 0], 'NaN'],
      ],
    });
    const back = parseModelImage(text);
    expect(back).toEqual(img);
    expect(Object.is((back.model as unknown as typeof model).a[1], -0)).toBe(true);
    expect(Object.is((back.model as unknown as typeof model).a[2], 0)).toBe(true);
    // An image without the list, or with an entry that names no written value, is not read.
    expect(() => parseModelImage(JSON.stringify(img))).toThrow('no list of special numbers');
    const wrong = { ...JSON.parse(text), special: [[['model', 'a', 0], 'Infinity']] };
    expect(() => parseModelImage(JSON.stringify(wrong))).toThrow('no such value');
  });

  it('is ignored when the model file differs from the one it was made from (by one byte)', () => {
    const yaml = join(dir, 'northeast.yaml');
    copyFileSync(builtYaml, yaml);
    copyFileSync(imagePath(builtYaml), imagePath(yaml));
    expect(loadModelImage(yaml, 'builtin:northeast')).toBeDefined();
    writeFileSync(yaml, `${readFileSync(builtYaml, 'utf8')}#\n`);
    expect(loadModelImage(yaml, 'builtin:northeast')).toBeUndefined();
  });

  it('is ignored when it was made by another compiler, or is unreadable', () => {
    const yaml = join(dir, 'other.yaml');
    copyFileSync(builtYaml, yaml);
    const img = JSON.parse(readFileSync(imagePath(builtYaml), 'utf8'));
    writeFileSync(imagePath(yaml), JSON.stringify({ ...img, compilerSha256: '0'.repeat(64) }));
    expect(loadModelImage(yaml, 'builtin:northeast')).toBeUndefined();
    writeFileSync(imagePath(yaml), '{ not json');
    expect(loadModelImage(yaml, 'builtin:northeast')).toBeUndefined();
    const { special: _, ...withoutList } = img;
    writeFileSync(imagePath(yaml), JSON.stringify(withoutList));
    expect(loadModelImage(yaml, 'builtin:northeast')).toBeUndefined();
  });
});
