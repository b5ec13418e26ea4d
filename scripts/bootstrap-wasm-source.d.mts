export function assembleBootstrap(wat: string): Promise<Buffer>;
export function bootstrapModuleSource(bytes: Uint8Array): string;
