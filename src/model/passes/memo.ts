/**
 * The fused projection's memo tables (rewrite 4 of passes/optimise.ts): `memo(P, years)` returns a
 * table of every memo slot in years 1 .. years − 1 (row yi at yi·MB), computed from P's slots that
 * the slots read. The last two tables are kept with the values they were made from (compared with
 * Object.is: −0 is not +0, NaN is NaN), so rows that alternate between two values of those
 * parameters, as a Saltelli design's do, compute neither again. A table is a function of those
 * values alone, so a reused one holds the numbers a new one would. Empty without memo slots.
 */
export function memoTable(slots: readonly string[]): { lines: string[] } {
  if (slots.length === 0) return { lines: [] };
  const keys = [...new Set(slots.flatMap((code) => [...code.matchAll(/P\[(\d+)\]/g)].map((m) => Number(m[1]))))].sort(
    (a, b) => a - b,
  );
  const same = ['e.ok', 'e.years === years', ...keys.map((k, i) => `Object.is(e.key[${i}], P[${k}])`)].join(' && ');
  return {
    lines: [
      `const MB = ${slots.length};`,
      `const ME = [0, 1].map(() => ({ ok: false, years: 0, key: new Float64Array(${keys.length}), T: new Float64Array(0) }));`,
      'let MU = 0;',
      'function memo(P, years) {',
      '  let e = ME[MU];',
      `  if (${same}) return e.T;`,
      '  MU ^= 1;',
      '  e = ME[MU];',
      `  if (${same}) return e.T;`,
      '  if (e.T.length < years * MB) e.T = new Float64Array(years * MB);',
      '  const T = e.T;',
      '  for (let yi = 1; yi < years; yi++) {',
      '    const year = BASE + yi;',
      '    const t = year - BASE;',
      '    const mo = yi * MB;',
      ...slots.map((code, k) => `    T[mo + ${k}] = ${code};`),
      '  }',
      ...keys.map((k, i) => `  e.key[${i}] = P[${k}];`),
      '  e.years = years;',
      '  e.ok = true;',
      '  return T;',
      '}',
    ],
  };
}
