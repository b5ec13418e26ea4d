import type { CompiledModel } from '../model/compiled-model.js';
import { policysimVersion } from '../util/version.js';
import { regionOrder } from './run-report.js';

/** What a result records about where it came from (JSON `command`, `policysimVersion`). */
export interface ResultMeta {
  /** The command that computes the result (src/cli/command-invocation.ts); null when not run from the CLI. */
  readonly command: string | null;
}

export const NO_META: ResultMeta = { command: null };

/** The provenance fields every JSON result ends with. */
export function provenance(meta: ResultMeta): { command: string | null; policysimVersion: string } {
  return { command: meta.command, policysimVersion: policysimVersion() };
}

/**
 * What a reader of the JSON needs to present its numbers without the model file: each indicator's
 * label, unit and decimals, and each region's name, in reading order (aggregates, provinces, reference).
 */
export function modelLegend(model: CompiledModel): {
  indicators: { name: string; label: string; unit: string; decimals: number }[];
  regions: { id: string; name: string; kind: 'aggregate' | 'region' | 'reference' }[];
} {
  const kind = (id: string): 'aggregate' | 'region' | 'reference' =>
    model.aggregates.some((a) => a.id === id) ? 'aggregate' : model.reference?.id === id ? 'reference' : 'region';
  return {
    indicators: model.indicators.map((i) => ({ name: i.name, label: i.label, unit: i.unit, decimals: i.decimals })),
    regions: regionOrder(model).map((r) => ({ id: r.id, name: r.name, kind: kind(r.id) })),
  };
}
