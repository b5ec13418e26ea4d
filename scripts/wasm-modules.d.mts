export const WASM_MODULES: readonly (readonly [string, string, (bytes: Uint8Array) => string])[];
