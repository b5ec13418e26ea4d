export function bootstrapModuleSource(bytes: Uint8Array): string;
