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
 * literal is `(-0)`). They are written as {"nonFinite": "Infinity"} ({"nonFinite": "-0"}) and read
 * back as numbers.
 */
export function modelImageText(img: ModelImageFile): string {
  return `${JSON.stringify(img, (_k, v: unknown) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
      ? { nonFinite: Object.is(v, -0) ? '-0' : String(v) }
      : v,
  )}\n`;
}

export function parseModelImage(text: string): ModelImageFile {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tag = (v as { nonFinite?: unknown }).nonFinite;
      if (keys.length === 1 && (tag === 'Infinity' || tag === '-Infinity' || tag === 'NaN' || tag === '-0'))
        return Number(tag);
    }
    return v;
  }) as ModelImageFile;
}

export function modelImageFile(modelFile: string, m: CompiledModel): ModelImageFile {
  return {
    modelFile,
    modelSha256: sha256(readFileSync(modelFile)),
    compilerSha256: compilerSha256(),
    model: modelData(m),
  };
}
