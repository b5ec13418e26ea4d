export function targetsModuleSource(bytes: Uint8Array): string;
