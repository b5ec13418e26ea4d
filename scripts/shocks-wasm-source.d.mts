export function shocksModuleSource(bytes: Uint8Array): string;
