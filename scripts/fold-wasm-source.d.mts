/** The binary module of a .wat text (SIMD enabled), as the pinned wabt assembles it. */
export function assembleFold(wat: string): Promise<Buffer>;
/** The text of src/montecarlo/fold-wasm.ts for those bytes. */
export function foldModuleSource(bytes: Uint8Array): string;
