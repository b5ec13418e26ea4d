import type { Scenario } from '../scenario/scenario.js';
import { formatDiagnostic } from '../util/diagnostics.js';
import type { Io } from './io.js';

/**
 * Warnings about a scenario that do not stop the command (numeric target references far off the indicator's values).
 * The check (a projection of the reference) is loaded here, when a scenario has been loaded, not at start-up.
 */
export async function warnAboutScenario(io: Io, scenario: Scenario): Promise<void> {
  const { referenceWarnings } = await import('../project/reference-plausibility.js');
  for (const d of referenceWarnings(scenario)) io.stderr(`policysim: warning: ${formatDiagnostic(d)}\n`);
}
