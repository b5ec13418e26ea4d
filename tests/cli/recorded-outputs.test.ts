/**
 * No change in results (issue 8's constraint): the same inputs and seed give the same bytes as the
 * outputs recorded before the refactor, for every command that computes numbers — `run` (with `--set`
 * and a Monte Carlo replay), `compare`, `mc` (with shocks, correlated uncertainties and `--set`; its
 * `--save-runs` CSV; on the main thread and on a pool of two), paired `mc`, `sweep` (oat, sobol,
 * policy-grid × Monte Carlo), `seek`, `discover`, `backtest`, and the failure messages of `mc` and
 * `sweep`.
 *
 * The record is tests/fixtures/recorded/outputs.json: per case the sha256 of the output (masked as
 * below), its length, the sha256 of each top-level JSON field (so a failure says where) and a few key
 * numbers in the clear; short texts (the failure messages) are kept whole. The output itself is
 * compared byte for byte; JSON is first checked to be exactly `JSON.stringify(parsed, null, 2)` plus a
 * newline, so masking the parsed value masks the bytes.
 *
 * Masked, and only these: the policysim version (`policysimVersion` anywhere, `manifest.policysim`),
 * Node's and V8's versions (`manifest.node`, `manifest.v8`: the machine's, not the numbers'), and the
 * repository's absolute path in a message (`<root>`). Each case says how many values it masked, so a
 * mask cannot silently swallow more.
 *
 * The inputs are part of the record too (sha256 of each file the cases read): when one changes, the
 * test says which, rather than reporting different numbers from different inputs.
 *
 * To record again, after a change that is meant to move numbers (say why in the commit message):
 * `npm run record-fixtures` (builds, then runs this file with RECORD_FIXTURES=1, which writes the record).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './harness.js';

const RECORD_FILE = resolve(ROOT, 'tests/fixtures/recorded/outputs.json');
const RECORDING = process.env.RECORD_FIXTURES === '1';
const FIX = 'tests/fixtures/recorded';

/** Every file the cases read, by path from the repository root. */
const INPUTS = [
  'src/models/northeast.yaml',
  'scenarios/baseline.yaml',
  'scenarios/ftz.yaml',
  'scenarios/openness.yaml',
  'scenarios/paper-proposals.yaml',
  'scenarios/ftz-openness-2025.yaml',
  'scenarios/uncertainties/northeast.yaml',
  'scenarios/observed/paper-2016.csv',
  'scenarios/sweeps/trade-question.yaml',
  'scenarios/sweeps/tornado-levers.yaml',
  `${FIX}/sobol-small.yaml`,
  `${FIX}/policy-grid-small.yaml`,
  'tests/fixtures/mc/fails-often.yaml',
  'tests/fixtures/mc/models/log-of-negative.yaml',
  'tests/fixtures/sweep/regional/nonfinite.yaml',
  'tests/fixtures/sweep/regional/model.yaml',
];

type Output = 'json' | 'stderr' | 'saved';

interface Case {
  readonly name: string;
  readonly argv: readonly string[];
  readonly exit: number;
  /** What is recorded: stdout as JSON, stderr as text, or the file given as SAVED in argv. */
  readonly output: Output;
  /** Paths into the JSON (`targets[0].probability`) whose values the record keeps in the clear. */
  readonly keys?: readonly string[];
  /** Another case whose record this one must match (the same job computed another way). */
  readonly sameAs?: string;
}

const SAVED = '<saved>';
const PAPER = 'scenarios/paper-proposals.yaml';
const MC = ['mc', PAPER, '--runs', '200', '--seed', '2016', '--set', 'rd_push.jilin=0.5', '--format', 'json'];

const CASES: readonly Case[] = [
  {
    name: 'run --set',
    argv: [
      'run',
      PAPER,
      '--set',
      'ftz.liaoning=0.5',
      '--set',
      'openness=0.3',
      '--set',
      'ftz_trade=0.05',
      '--format',
      'json',
    ],
    exit: 0,
    output: 'json',
    keys: ['targets[0].value', 'targets[0].reference', 'targets[1].gap', 'targets[3].firstYearReached'],
  },
  {
    name: 'run --mc-run',
    argv: ['run', PAPER, '--mc-run', '7', '--seed', '2016', '--format', 'json'],
    exit: 0,
    output: 'json',
    keys: ['targets[0].value', 'targets[1].value', 'targets[2].value'],
  },
  {
    name: 'compare',
    argv: ['compare', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', PAPER, '--format', 'json'],
    exit: 0,
    output: 'json',
    keys: ['rows[0].values', 'rows[0].differences'],
  },
  {
    name: 'mc',
    argv: [...MC, '--workers', '0'],
    exit: 0,
    output: 'json',
    keys: ['runs', 'targets[0].probability', 'targets[1].probability', 'targets[1].firstYearReached.median'],
  },
  {
    name: 'mc on two workers',
    argv: [...MC, '--workers', '2', '--chunk', '64'],
    exit: 0,
    output: 'json',
    sameAs: 'mc',
  },
  {
    name: 'mc --save-runs',
    argv: ['mc', PAPER, '--runs', '50', '--seed', '99', '--workers', '0', '--save-runs', SAVED],
    exit: 0,
    output: 'saved',
  },
  {
    name: 'mc paired',
    argv: ['mc', 'scenarios/ftz.yaml', 'scenarios/openness.yaml', '--runs', '100', '--seed', '5', '--format', 'json'],
    exit: 0,
    output: 'json',
    keys: ['targets[0].scenarios[1].probabilityBetterThanFirst', 'differences[0].scenarios[1].mean'],
  },
  {
    name: 'sweep oat',
    argv: ['sweep', 'scenarios/sweeps/tornado-levers.yaml', '--format', 'json'],
    exit: 0,
    output: 'json',
    keys: ['outputs[0].analysis.swing', 'outputs[2].analysis.swing'],
  },
  {
    name: 'sweep sobol',
    argv: ['sweep', `${FIX}/sobol-small.yaml`, '--format', 'json'],
    exit: 0,
    output: 'json',
    keys: ['outputs[0].analysis.S1', 'outputs[1].analysis.ST'],
  },
  {
    name: 'sweep policy-grid',
    argv: ['sweep', `${FIX}/policy-grid-small.yaml`, '--format', 'json'],
    exit: 0,
    output: 'json',
    keys: ['outputs[1].analysis.values', 'outputs[2].analysis.values'],
  },
  {
    name: 'seek',
    argv: [
      'seek',
      'scenarios/ftz-openness-2025.yaml',
      '--package',
      '--target',
      '2',
      '--probability',
      '0.15',
      '--runs',
      '100',
      '--format',
      'json',
    ],
    exit: 0,
    output: 'json',
    keys: ['status', 'answer', 'sentence'],
  },
  {
    name: 'discover',
    argv: ['discover', 'scenarios/ftz-openness-2025.yaml', '--target', '2', '--runs', '400', '--format', 'json'],
    exit: 0,
    output: 'json',
    keys: ['runsReached', 'chosenBox', 'sentence'],
  },
  {
    name: 'backtest',
    argv: [
      'backtest',
      'scenarios/baseline.yaml',
      '--observed',
      'scenarios/observed/paper-2016.csv',
      '--runs',
      '200',
      '--format',
      'json',
    ],
    exit: 0,
    output: 'json',
  },
  {
    name: 'mc failure',
    argv: ['mc', 'tests/fixtures/mc/fails-often.yaml', '--runs', '100'],
    exit: 1,
    output: 'stderr',
  },
  {
    name: 'sweep failure',
    argv: ['sweep', 'tests/fixtures/sweep/regional/nonfinite.yaml', '--workers', '0'],
    exit: 1,
    output: 'stderr',
  },
];

interface Recorded {
  readonly argv: readonly string[];
  readonly exit: number;
  readonly masked: number;
  readonly bytes: number;
  readonly sha256: string;
  /** JSON: the sha256 of each top-level field's JSON. */
  readonly fields?: Readonly<Record<string, string>>;
  readonly keys?: Readonly<Record<string, unknown>>;
  /** Short texts: the whole (masked) text. */
  readonly text?: string;
}

interface RecordFile {
  readonly note: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly cases: Readonly<Record<string, Recorded>>;
}

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

const VERSION = '<version>';
const MANIFEST_VERSIONS = ['policysim', 'node', 'v8'];

/** The JSON value with its version fields masked, and how many it masked. */
function maskJson(v: unknown): { value: unknown; masked: number } {
  let masked = 0;
  const walk = (x: unknown, inManifest: boolean): unknown => {
    if (Array.isArray(x)) return x.map((e) => walk(e, false));
    if (x === null || typeof x !== 'object') return x;
    const out: { [k: string]: unknown } = {};
    for (const [k, e] of Object.entries(x)) {
      if (k === 'policysimVersion' || (inManifest && MANIFEST_VERSIONS.includes(k))) {
        out[k] = VERSION;
        masked++;
      } else out[k] = walk(e, k === 'manifest');
    }
    return out;
  };
  return { value: walk(v, false), masked };
}

function maskText(text: string): { text: string; masked: number } {
  const parts = text.split(ROOT);
  return { text: parts.join('<root>'), masked: parts.length - 1 };
}

/** `a.b[2].c` of a JSON value. */
function at(v: unknown, path: string): unknown {
  let x = v;
  for (const step of path.match(/[^.[\]]+/g) ?? []) {
    if (x === null || typeof x !== 'object') return undefined;
    x = (x as { [k: string]: unknown })[step];
  }
  return x;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'policysim-recorded-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function compute(c: Case): Promise<{ recorded: Recorded; full: string }> {
  const saved = join(dir, `${c.name.replace(/\W+/g, '-')}.csv`);
  const argv = c.argv.map((a) => (a === SAVED ? saved : a));
  const r = await cli(...argv);
  expect(r.code, r.stderr).toBe(c.exit);
  const base = { argv: c.argv, exit: c.exit };
  if (c.output === 'json') {
    const parsed: unknown = JSON.parse(r.stdout);
    // Masking the parsed value masks the bytes only if the bytes are its canonical form.
    expect(r.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    const { value, masked } = maskJson(parsed);
    const full = `${JSON.stringify(value, null, 2)}\n`;
    const fields = Object.fromEntries(
      Object.entries(value as { [k: string]: unknown }).map(([k, e]) => [k, sha256(JSON.stringify(e))]),
    );
    const keys = c.keys ? Object.fromEntries(c.keys.map((k) => [k, at(value, k) ?? null])) : undefined;
    return {
      recorded: { ...base, masked, bytes: full.length, sha256: sha256(full), fields, ...(keys ? { keys } : {}) },
      full,
    };
  }
  const raw = c.output === 'stderr' ? r.stderr : readFileSync(saved, 'utf8');
  const { text, masked } = maskText(raw);
  return {
    recorded: { ...base, masked, bytes: text.length, sha256: sha256(text), ...(c.output === 'stderr' ? { text } : {}) },
    full: text,
  };
}

function currentInputs(): { [path: string]: string } {
  return Object.fromEntries(INPUTS.map((p) => [p, sha256(readFileSync(resolve(ROOT, p)))]));
}

if (RECORDING) {
  describe('recording the outputs (RECORD_FIXTURES=1)', () => {
    it('writes tests/fixtures/recorded/outputs.json', async () => {
      const cases: { [name: string]: Recorded } = {};
      for (const c of CASES) {
        const { recorded } = await compute(c);
        if (c.sameAs) expect(recorded.sha256, `${c.name} differs from ${c.sameAs}`).toBe(cases[c.sameAs]!.sha256);
        else cases[c.name] = recorded;
      }
      const record: RecordFile = {
        note: 'Written by `npm run record-fixtures` (tests/cli/recorded-outputs.test.ts); do not edit by hand.',
        inputs: currentInputs(),
        cases,
      };
      writeFileSync(RECORD_FILE, `${JSON.stringify(record, null, 2)}\n`);
    });
  });
} else {
  const record = JSON.parse(readFileSync(RECORD_FILE, 'utf8')) as RecordFile;

  describe('outputs are byte-identical to the recorded ones', () => {
    it('the inputs are the recorded ones (else: record again, `npm run record-fixtures`, saying why)', () => {
      const now = currentInputs();
      const changed = INPUTS.filter((p) => now[p] !== record.inputs[p]);
      expect(changed, 'inputs changed since the outputs were recorded').toEqual([]);
    });

    it('every case is recorded, and nothing else', () => {
      expect(Object.keys(record.cases).sort()).toEqual(
        CASES.filter((c) => !c.sameAs)
          .map((c) => c.name)
          .sort(),
      );
    });

    for (const c of CASES) {
      it(`${c.name}: ${c.argv.join(' ')}`, async () => {
        const want = record.cases[c.sameAs ?? c.name]!;
        const { recorded: got, full } = await compute(c);
        if (got.sha256 !== want.sha256) {
          // Where it differs: the top-level fields and key numbers first, then the whole text kept for a diff.
          const keep = join(tmpdir(), `policysim-recorded-${c.name.replace(/\W+/g, '-')}.out`);
          writeFileSync(keep, full);
          const fields = Object.keys({ ...want.fields, ...got.fields }).filter(
            (k) => want.fields?.[k] !== got.fields?.[k],
          );
          expect({ fields, keys: got.keys, text: got.text }, `output differs; written to ${keep}`).toEqual({
            fields: [],
            keys: want.keys,
            text: want.text,
          });
        }
        expect(got.masked).toBe(want.masked);
        expect(got.bytes).toBe(want.bytes);
        expect(got.sha256).toBe(want.sha256);
      });
    }
  });
}
