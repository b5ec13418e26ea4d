import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { CompiledModel } from './compiled-model.js';
import { instantiateKernel, kernelImage } from './kernel-image.js';

/**
 * A compiled model as plain data (everything but functions), and back. The compiler ends with
 * modelFromData(); the build also writes the built-in model's data to a JSON image next to its YAML
 * (scripts/build-model-images.mjs), so that `policysim run` on a built-in model need not load mathjs
 * and compile it again. The image is used only when it was made from exactly this model file and this
 * compiler (both hashed); its kernel is the code the compiler generated from the checked tree.
 */
export type ModelData = Omit<
  CompiledModel,
  | 'seriesIndex'
  | 'defaultRegions'
  | 'defaultParams'
  | 'init'
  | 'step'
  | 'checkedInit'
  | 'checkedStep'
  | 'optimised'
  | 'source'
>;

export function modelFromData(d: ModelData): CompiledModel {
  const seriesMap = new Map(d.series.map((s) => [`${s.indicator}/${s.region}`, s.index]));
  const defaultP = new Float64Array(d.paramCount);
  for (const p of d.parameters) p.defaults.forEach((v, k) => (defaultP[p.offset + k] = v));
  return {
    ...d,
    ...instantiateKernel(kernelImage(d)),
    // instantiateKernel keeps only the layout; the reports need the rest of the model.
    ...{ regions: d.regions, origin: d.origin, equations: d.equations },
    seriesIndex: (indicator, region) => seriesMap.get(`${indicator}/${region}`),
    defaultRegions: () => (d.aggregates.length > 0 ? d.aggregates : d.regions).map((r) => r.id),
    defaultParams: () => defaultP.slice(),
    source: { init: d.sources.init, step: d.sources.step },
  };
}

export function modelData(m: CompiledModel): ModelData {
  const {
    seriesIndex: _a,
    defaultRegions: _r,
    defaultParams: _b,
    init: _c,
    step: _d,
    checkedInit: _e,
    checkedStep: _f,
    optimised: _g,
    source: _h,
    ...data
  } = m;
  return data;
}

export interface ModelImageFile {
  /** The model file it was made from; equation locations name it, and are moved to where it is now. */
  readonly modelFile: string;
  readonly modelSha256: string;
  readonly compilerSha256: string;
  readonly model: ModelData;
}

export const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** The image path of a built-in model file. */
export const imagePath = (modelFile: string): string => modelFile.replace(/\.yaml$/, '.image.json');

/**
 * The compiler whose output an image holds: its modules next to this one (dist/ when built), every
 * stage and what they call (the parser's whitelist, code emission, the optimising pass).
 */
const compilerFiles = [
  './compile.js',
  './compile/declare.js',
  './compile/check.js',
  './compile/checked-model.js',
  './compile/generate.js',
  './compile/uncertainties.js',
  './expression.js',
  './dependencies.js',
  './codegen.js',
  './passes/optimise.js',
].map((f) => new URL(f, import.meta.url));
const compilerSha256 = (): string => sha256(Buffer.concat(compilerFiles.map((f) => readFileSync(f))));

/** A model from its build-time image, if there is one made from this file by this compiler. */
export function loadModelImage(modelFile: string, origin: string): CompiledModel | undefined {
  const path = imagePath(modelFile);
  if (!existsSync(path) || !compilerFiles.every((f) => existsSync(f))) return undefined;
  try {
    const img = parseModelImage(readFileSync(path, 'utf8'));
    if (img.modelSha256 !== sha256(readFileSync(modelFile))) return undefined;
    if (img.compilerSha256 !== compilerSha256()) return undefined;
    if (img.model.origin !== origin) return undefined;
    const equations = img.model.equations.map((e) =>
      e.location?.file === img.modelFile ? { ...e, location: { ...e.location, file: modelFile } } : e,
    );
    return modelFromData({ ...img.model, equations });
  } catch {
    // An unreadable image is only a lost shortcut: compile the file instead.
    return undefined;
  }
}

/**
 * JSON has no Infinity or NaN (JSON.stringify writes null), and writes -0 as 0: a domain is
 * [0, Infinity] when only min: is declared, and a checked tree keeps a -0 written in the file (its
 * literal is `(-0)`). The image is written as plain JSON, and those few numbers are listed out of band
 * in its `special` field, each as its path from the top and its name ("Infinity", "-Infinity", "NaN",
 * "-0"): reading is a JSON.parse without a reviver, and then one assignment per special number.
 */
export function modelImageText(img: ModelImageFile): string {
  const special: [path: (string | number)[], name: SpecialName][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0))
        special.push([path, Object.is(v, -0) ? '-0' : (String(v) as SpecialName)]);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(img, []);
  return `${JSON.stringify({ ...img, special })}\n`;
}

type SpecialName = 'Infinity' | '-Infinity' | 'NaN' | '-0';
const specialNames: readonly unknown[] = ['Infinity', '-Infinity', 'NaN', '-0'] satisfies SpecialName[];

export function parseModelImage(text: string): ModelImageFile {
  const { special, ...img } = JSON.parse(text) as ModelImageFile & { special: unknown };
  if (!Array.isArray(special)) throw new Error('model image: no list of special numbers');
  for (const entry of special) {
    const [path, name] = Array.isArray(entry) ? entry : [];
    if (!Array.isArray(path) || path.length === 0 || !specialNames.includes(name))
      throw new Error('model image: a malformed special number');
    let holder: unknown = img;
    for (const key of path.slice(0, -1)) holder = (holder as Record<string, unknown> | null)?.[key];
    const key = path.at(-1);
    // JSON.stringify wrote null for a non-finite number, 0 for -0.
    if (
      holder === null ||
      typeof holder !== 'object' ||
      (holder as Record<string, unknown>)[key] !== (name === '-0' ? 0 : null)
    )
      throw new Error('model image: a special number where JSON holds no such value');
    (holder as Record<string, unknown>)[key] = Number(name);
  }
  return img;
}

export function modelImageFile(modelFile: string, m: CompiledModel): ModelImageFile {
  return {
    modelFile,
    modelSha256: sha256(readFileSync(modelFile)),
    compilerSha256: compilerSha256(),
    model: modelData(m),
  };
}
