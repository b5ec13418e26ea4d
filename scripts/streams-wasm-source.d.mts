export function streamsModuleSource(bytes: Uint8Array): string;
