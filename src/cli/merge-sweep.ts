export async function mergeSweepParts(
  _files: readonly string[],
  _format: string | undefined,
  _out: string | undefined,
): Promise<string> {
  throw new Error('not yet');
}
