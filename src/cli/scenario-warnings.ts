import { referenceWarnings } from '../project/reference-plausibility.js';
import type { Scenario } from '../scenario/scenario.js';
import { formatDiagnostic } from '../util/diagnostics.js';
import type { Io } from './io.js';

/** Warnings about a scenario that do not stop the command (numeric target references far off the indicator's values). */
export function warnAboutScenario(io: Io, scenario: Scenario): void {
  for (const d of referenceWarnings(scenario)) io.stderr(`policysim: warning: ${formatDiagnostic(d)}\n`);
}
