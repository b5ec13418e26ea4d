/**
 * Vega-Lite → Vega → SVG, in Node, when the report is written: the page shows its charts without
 * running any script, prints well, and needs neither a canvas package nor a browser. Text widths
 * are estimated (no canvas), which is why labels get generous room.
 */
import type { TopLevelSpec } from 'vega-lite';
import { escapeControlLines } from '../../util/terminal-text.js';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded here: vega and vega-lite are ES modules only, which the bundled CLI (scripts/bundle-cli.mjs,
  // one CommonJS script) can load only with import().
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  // Vega-Lite's warnings are about our own specifications (the tests see them): not for the user's terminal.
  const { spec: compiled } = compile(spec, { logger: vega.logger(vega.None) });
  // Every chart's data is inline (`data.values`): nothing is loaded from a file or the network.
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    // Vega escapes markup in the text it draws; names from files may still hold control characters.
    return escapeControlLines(await view.toSVG());
  } finally {
    view.finalize();
  }
}
