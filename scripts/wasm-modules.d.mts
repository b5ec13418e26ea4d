export interface WasmModuleEntry {
  readonly wat: string;
  readonly ts: string;
  readonly what: string;
  readonly name: string;
}
export const WASM_MODULES: readonly WasmModuleEntry[];
/** The binary module of a .wat text (SIMD enabled), as the pinned wabt assembles it. */
export function assembleWat(wat: string): Promise<Buffer>;
/** The text of a module's generated src/**\/*-wasm.ts. */
export function moduleSource(module: WasmModuleEntry, bytes: Uint8Array): string;
