import { emit, numberLiteral } from '../codegen.js';
import type { EquationRef, ShockSlot } from '../compiled-model.js';
import { type Expr, symbolsOf } from '../expression.js';
import type { KernelImage } from '../kernel-image.js';
import { computedSeries, dependencyCone, fixedSeries, fixedSeriesByYear } from '../passes/cone.js';
import { memoTable } from '../passes/memo.js';
import { DRAW, KernelOptimiser, levelOfExpr, STATE, YEAR } from '../passes/optimise.js';
import type { CheckedModel } from './checked-model.js';
import { generatePairKernel } from './generate-pair.js';
import type { Specialisation } from './uncertainties.js';

/**
 * The last stage of the compiler: JavaScript source for the kernel, from the checked trees only.
 * Three variants of the same equations: the straightforward kernel, the checked one (every value
 * tested, a failure naming its equation), and the optimised one (src/model/passes/optimise.ts).
 * Shock slots add a yearly term to their equations; drawn parameters (and varying levers) tell the
 * optimising pass what changes from run to run; requested series prune every variant to the
 * equations they depend on (see `cone`). Only compiler-made names, slot numbers and numeric literals
 * go into the source: symbols resolve to slots and locals.
 */
export function generateKernel(
  c: CheckedModel,
  equations: readonly EquationRef[],
  shockSlots: readonly ShockSlot[],
  spec: Specialisation = {},
): KernelImage['sources'] {
  const drawnNames = spec.drawn ?? [];
  const { trees, names, domainFlag, hasDomain } = c;
  const R = c.regionCount;
  const G = names.globalStates.length;
  const symbols = new Map(c.symbols.map(([name, kind, index]) => [name, { kind, index }]));
  const gAuxOrder = trees.globalAuxiliaryOrder;
  const rAuxOrder = trees.auxiliaryOrder;
  const stateSlot = (k: number, r: number): number => G + k * R + r;
  const paramSlot = (idx: number, r: number): number => c.parameterSlots[idx]![0] + (c.parameterSlots[idx]![1] ? r : 0);
  const LB = c.leverCount * R;
  const shockOf = new Map(shockSlots.map((s) => [`${s.equation}/${s.region}`, s.slot]));

  /** Parameter slots the fused loop reads, each loaded once into a local `p<slot>` before the loop. */
  const paramLocals = new Set<number>();
  const param = (slot: number, locals: boolean): string => {
    if (!locals) return `P[${slot}]`;
    paramLocals.add(slot);
    return `p${slot}`;
  };
  /**
   * Access code for a symbol in region r; `locals`: states and parameters held in local variables
   * (the fused loop: V8 cannot keep a typed-array element in a register across stores to another
   * typed array, which might be the same buffer, so P[k] would be reloaded, bounds check and all,
   * in every year).
   */
  const refFor =
    (r: number, locals = false) =>
    (name: string): string => {
      const s = symbols.get(name)!;
      switch (s.kind) {
        case 'builtin':
          return name === 'pi' ? numberLiteral(Math.PI) : name;
        case 'gparam':
          return param(paramSlot(s.index, 0), locals);
        case 'rparam':
          return param(paramSlot(s.index, r), locals);
        case 'lever':
          return `L[lb + ${s.index * R + r}]`;
        case 'gstate':
          return locals ? `s${s.index}` : `S[${s.index}]`;
        case 'rstate':
          return locals ? `s${stateSlot(s.index, r)}` : `S[${stateSlot(s.index, r)}]`;
        case 'gaux':
          return `g${s.index}`;
        case 'raux':
          return `a${s.index}_${r}`;
      }
    };
  /** The test that a value is outside its equation's domain (empty without one). */
  const outsideDomain = (v: string, eq: number): string => {
    const d = equations[eq]!.domain;
    if (!d) return '';
    const sides: string[] = [];
    if (Number.isFinite(d[0])) sides.push(`${v} < ${numberLiteral(d[0])}`);
    if (Number.isFinite(d[1])) sides.push(`${v} > ${numberLiteral(d[1])}`);
    return sides.join(' || ');
  };
  const shockTerm = (name: string, r: number): string => {
    const slot = shockOf.get(`${name}/${r}`);
    return slot === undefined ? '' : ` + X[xb + ${slot}]`;
  };

  // Levels for the optimising pass (see passes/optimise.ts): how each symbol varies.
  const drawn = new Set(drawnNames);
  const varyingLevers = new Set(spec.varyingLevers ?? []);
  const auxLevel = new Map<string, number>();
  const levelOf = (name: string): number => {
    const s = symbols.get(name)!;
    switch (s.kind) {
      case 'builtin':
        return name === 'pi' ? 0 : YEAR;
      case 'gparam':
      case 'rparam':
        return drawn.has(name) ? DRAW : 0;
      case 'lever':
        // A lever a sweep sets per row changes from run to run as well as by year: never hoisted.
        return varyingLevers.has(name) ? YEAR | DRAW : YEAR;
      case 'gstate':
      case 'rstate':
        return STATE;
      case 'gaux':
      case 'raux':
        return auxLevel.get(name)!;
    }
  };
  for (const i of gAuxOrder) {
    const name = names.globalAuxiliaries[i]!;
    auxLevel.set(name, shockOf.has(`${name}/-1`) ? STATE : levelOfExpr(trees.globalAuxiliaries[i]!, levelOf));
  }
  for (const i of rAuxOrder) {
    const name = names.auxiliaries[i]!;
    auxLevel.set(name, shockOf.has(`${name}/0`) ? STATE : levelOfExpr(trees.auxiliaries[i]!, levelOf));
  }
  const { keepName, keepIndicator } = dependencyCone(c, spec.series);
  const hiddenBase = c.stateCount;
  /** Lines defining the auxiliaries, in kernel order, whose level has none of `moved` (outside the step). */
  const auxiliariesNotMovedBy = (moved: number, lines: string[]): void => {
    for (const i of gAuxOrder)
      if (keepName(names.globalAuxiliaries[i]!) && (auxLevel.get(names.globalAuxiliaries[i]!)! & moved) === 0)
        lines.push(`const g${i} = ${emit(trees.globalAuxiliaries[i]!, refFor(0))};`);
    for (let r = 0; r < R; r++)
      for (const i of rAuxOrder)
        if (keepName(names.auxiliaries[i]!) && (auxLevel.get(names.auxiliaries[i]!)! & moved) === 0)
          lines.push(`const a${i}_${r} = ${emit(trees.auxiliaries[i]!, refFor(r))};`);
  };
  const eqs = c.equations;
  /**
   * Whether a power or call reads nothing that varies by region, so that the step computes it once a
   * year (the two-run kernel asks the same question, so both hoist the same nodes).
   */
  const regionFree = (e: Expr, opt: KernelOptimiser | undefined): boolean =>
    symbolsOf(e).every((n) => {
      const k = symbols.get(n)?.kind;
      // Compiler names of the optimised kernel (per-year or per-run slots) are the same in every region.
      return k === 'builtin' || k === 'gparam' || (k === undefined && opt?.isSlot(n) === true);
    });

  const build = (
    checked: boolean,
    opt?: KernelOptimiser,
    /** States in local variables (s0, s1, …) in the step and its outputs: the fused projection's loop. */
    locals = false,
  ): {
    init: string;
    step: string;
    prepare: string;
    consts: string;
    initLines: string[];
    loopLines: string[];
    stepLines: string[];
    observeLines: string[];
  } => {
    const refs = (r: number): ((name: string) => string) => refFor(r, locals);
    const guard = (v: string, eq: number, r: number, yearExpr: string): string => {
      const outside = outsideDomain(v, eq);
      if (checked)
        return `\n  if (!Number.isFinite(${v})${outside ? ` || ${outside}` : ''}) fail(${eq}, ${r}, ${yearExpr}, ${v});`;
      // Fast and optimised: one comparison; the checked kernel, re-run on failure, names the equation.
      return outside ? `\n  if (${outside}) S[${domainFlag}] = NaN;` : '';
    };
    let step: string[] = ['const t = year - BASE;', 'const lb = yi * LB;', 'const xb = yi * XB;'];
    // Powers and calls that read only t, year and global parameters are the same for every region
    // and equation in a year: compute each once (Math.pow dominated the step before this).
    const hoisted = new Map<string, string>();
    const hoistLines: string[] = [];
    const hoist = (e: Expr, code: string): string => {
      if (!regionFree(e, opt)) return code;
      let name = hoisted.get(code);
      if (!name) {
        name = `h${hoisted.size}`;
        hoisted.set(code, name);
        hoistLines.push(`const ${name} = ${code};`);
      }
      return name;
    };
    const emitS = opt
      ? (e: Expr, r: number): string => {
          const base = refs(r);
          const ref = (name: string): string => opt.ref(name, hiddenBase, locals) ?? base(name);
          // Hoisted code is computed outside the loop (prepare, init), from P itself: the same code
          // in both builds, so the fused loop shares the other's slots.
          return emit(
            opt.rewrite(e, (x) => emit(x, refFor(r)), r),
            ref,
            hoist,
          );
        }
      : (e: Expr, r: number): string => emit(e, refs(r), hoist);
    for (const i of gAuxOrder) {
      const name = names.globalAuxiliaries[i]!;
      const eq = eqs.globalAuxiliaries[i]!;
      if (!keepName(name)) continue;
      step.push(
        `const g${i} = ${emitS(trees.globalAuxiliaries[i]!, 0)}${shockTerm(name, -1)};${guard(`g${i}`, eq, -1, 'year')}`,
      );
    }
    names.globalStates.forEach((name, i) => {
      const eq = eqs.globalNext[i]!;
      if (!keepName(name)) return;
      step.push(
        `const gn${i} = ${emitS(trees.globalNext[i]!, 0)}${shockTerm(name, -1)};${guard(`gn${i}`, eq, -1, 'year')}`,
      );
    });
    for (let r = 0; r < R; r++) {
      for (const i of rAuxOrder) {
        if (!keepName(names.auxiliaries[i]!)) continue;
        step.push(
          `const a${i}_${r} = ${emitS(trees.auxiliaries[i]!, r)}${shockTerm(names.auxiliaries[i]!, r)};${guard(`a${i}_${r}`, eqs.auxiliaries[i]!, r, 'year')}`,
        );
      }
      names.states.forEach((name, k) => {
        if (!keepName(name)) return;
        step.push(
          `const n${k}_${r} = ${emitS(trees.next[k]!, r)}${shockTerm(name, r)};${guard(`n${k}_${r}`, eqs.next[k]!, r, 'year')}`,
        );
      });
    }
    // Not splice(3, 0, ...hoistLines): an equation may hoist more names than a call takes arguments.
    step = [...step.slice(0, 3), ...(opt ? ['const hb = yi * HB;'] : []), ...hoistLines, ...step.slice(3)];
    // States advance only after every next value is computed from last year's states.
    const S_ = (slot: number): string => (locals ? `s${slot}` : `S[${slot}]`);
    names.globalStates.forEach((name, i) => keepName(name) && step.push(`${S_(i)} = gn${i};`));
    for (let r = 0; r < R; r++)
      names.states.forEach((name, k) => keepName(name) && step.push(`${S_(stateSlot(k, r))} = n${k}_${r};`));
    if (opt) step.push(...opt.advanceLines(hiddenBase, locals));

    const observe: string[] = ['const o = yi * NS;'];
    let col = 0;
    trees.indicators.forEach((ind, i) => {
      const eq = eqs.indicators[i]!;
      const keep = keepIndicator(i);
      if (!keep.any) {
        // Its columns stay unwritten (whatever the output buffer held), but keep their numbers.
        col += R + c.aggregates.length + (ind.reference ? 1 : 0);
        return;
      }
      if (!keep.values) col += R + c.aggregates.length;
      else
        for (let r = 0; r < R; r++) {
          observe.push(`const v${i}_${r} = ${emit(ind.expr, refs(r))};${guard(`v${i}_${r}`, eq.value, r, 'year')}`);
          observe.push(`OUT[o + ${col++}] = v${i}_${r};`);
        }
      const w = ind.weight;
      if (keep.aggregates && w !== 'sum') {
        for (let r = 0; r < R; r++)
          observe.push(`const w${i}_${r} = ${emit(w, refs(r))};${guard(`w${i}_${r}`, eq.weight!, r, 'year')}`);
      }
      if (keep.values && !keep.aggregates) col += c.aggregates.length;
      else if (keep.values)
        c.aggregates.forEach((members, ai) => {
          const v =
            w === 'sum'
              ? members.map((r) => `v${i}_${r}`).join(' + ')
              : `(${members.map((r) => `w${i}_${r} * v${i}_${r}`).join(' + ')}) / (${members.map((r) => `w${i}_${r}`).join(' + ')})`;
          observe.push(`const ag${i}_${ai} = ${v};${guard(`ag${i}_${ai}`, eq.aggregates[ai]!, -1, 'year')}`);
          observe.push(`OUT[o + ${col++}] = ag${i}_${ai};`);
        });
      if (ind.reference && !keep.reference) col++;
      else if (ind.reference) {
        observe.push(`const rf${i} = ${emit(ind.reference, refs(0))};${guard(`rf${i}`, eq.reference!, -1, 'year')}`);
        observe.push(`OUT[o + ${col++}] = rf${i};`);
      }
    });

    const init: string[] = ['const year = BASE;', 'const t = 0;', 'const yi = 0;'];
    if (hasDomain) init.push(`S[${domainFlag}] = 0;`);
    names.globalStates.forEach((name, i) => {
      if (!keepName(name)) return;
      init.push(
        `S[${i}] = ${emit(trees.globalInitial[i]!, refFor(0))};${guard(`S[${i}]`, eqs.globalInitial[i]!, -1, 'year')}`,
      );
    });
    names.states.forEach((name, k) => {
      if (!keepName(name)) return;
      for (let r = 0; r < R; r++)
        init.push(
          `S[${stateSlot(k, r)}] = ${emit(trees.initial[k]![r]!, refFor(r))};${guard(`S[${stateSlot(k, r)}]`, eqs.initial[k]!, r, 'year')}`,
        );
    });
    if (opt) {
      // Per-run slots and running powers may read auxiliaries that no lever, year or state moves.
      auxiliariesNotMovedBy(YEAR | STATE, init);
      init.push(...opt.initLines(hiddenBase));
    }

    // prepare: the per-year table of the optimised kernel. Auxiliaries that read only levers, the
    // year and undrawn parameters are defined first, because hoisted expressions may read them.
    const prepare: string[] = [];
    if (opt) {
      auxiliariesNotMovedBy(DRAW | STATE, prepare);
      opt.yearSlots.forEach((code, k) => prepare.push(`H[hb + ${k}] = ${code};`));
    }

    const consts = `const BASE = ${c.baseYear}, LB = ${LB}, XB = ${shockSlots.length}, NS = ${c.seriesCount}${opt ? `, HB = ${opt.yearSlots.length}` : ''};`;
    return {
      consts,
      initLines: [...init, ...observe],
      loopLines: [...step, ...observe],
      stepLines: step,
      observeLines: observe,
      init: `${consts}\nreturn function init(P, S, OUT) {\n  ${[...init, ...observe].join('\n  ')}\n};`,
      step: `${consts}\nreturn function step(P, L, X, S, OUT, yi, year${opt ? ', H' : ''}) {\n  ${[...step, ...observe].join('\n  ')}\n};`,
      prepare: `${consts}\nreturn function prepare(P, L, H, years) {\n  for (let yi = 1; yi < years; yi++) {\n    const t = yi, year = BASE + yi, lb = yi * LB, hb = yi * HB;\n    ${prepare.join('\n    ')}\n  }\n};`,
    };
  };

  // The sources are assembled above from compiler templates, slot numbers and numeric literals only.
  const fast = build(false);
  const checked = build(true);
  const memoSymbol = spec.rowMemo
    ? (name: string): boolean => {
        const k = symbols.get(name)?.kind;
        return k === 'builtin' || k === 'gparam' || k === 'rparam';
      }
    : undefined;
  const optimiser = new KernelOptimiser(levelOf, c.baseYear, spec.strengthReduction ?? true, memoSymbol);
  const opt = build(false, optimiser);
  // The fused projection: init, then every step with the states in locals (read back once at the end).
  // The same statements in the same order as init + step, so the same numbers; V8 keeps the states in
  // registers instead of reloading them from S after each store to OUT, and no call per year.
  const slotsBefore = [optimiser.yearSlots.length, optimiser.hiddenStates, optimiser.memoSlots.length];
  const locals = build(false, optimiser, true);
  // Output pruning by year: a use that reads only some years' outputs computes the indicators in those.
  const observeYears = spec.years === undefined ? undefined : new Set(spec.years);
  const memo = memoTable(optimiser.memoSlots);
  const fusedLoop = [
    ...(memo.lines.length > 0 ? ['const mo = yi * MB;'] : []),
    ...(observeYears ? [...locals.stepLines, 'if (OY[yi] === 1) {', ...locals.observeLines, '}'] : locals.loopLines),
  ];
  // The same projection for two runs at once in WebAssembly (generate-pair.ts), for a Monte Carlo:
  // not with the sweeps' memo tables or output pruning, which stay on the JavaScript kernel.
  const pair =
    spec.pairKernel === true && !spec.rowMemo && spec.series === undefined && spec.years === undefined
      ? generatePairKernel({
          c,
          equations,
          shockSlots,
          optimiser,
          rewrite: (e, r) => optimiser.rewrite(e, (x) => emit(x, refFor(r)), r),
          auxLevel: (name) => auxLevel.get(name)!,
          regionFree: (e) => regionFree(e, optimiser),
        })
      : undefined;
  if (
    optimiser.yearSlots.length !== slotsBefore[0] ||
    optimiser.hiddenStates !== slotsBefore[1] ||
    optimiser.memoSlots.length !== slotsBefore[2]
  )
    throw new Error('internal error: the fused loop or the two-run kernel made slots of its own');
  const hiddenLocals = Array.from({ length: optimiser.hiddenStates }, (_, k) => k);
  const stateLocals = [
    ...names.globalStates.map((_, i) => i),
    ...names.states.flatMap((_, k) => Array.from({ length: R }, (_, r) => stateSlot(k, r))),
  ];
  const project = [
    opt.consts,
    ...(observeYears
      ? [
          `const OY = [${Array.from({ length: Math.max(0, ...observeYears) + 1 }, (_, yi) => (observeYears.has(yi) ? 1 : 0)).join(', ')}];`,
        ]
      : []),
    ...memo.lines,
    'return function project(P, L, X, S, OUT, H, years) {',
    ...(memo.lines.length > 0 ? ['  const M = memo(P, years);'] : []),
    '  {',
    ...opt.initLines.map((l) => `  ${l}`),
    '  }',
    ...(stateLocals.length > 0 ? [`  let ${stateLocals.map((k) => `s${k} = S[${k}]`).join(', ')};`] : []),
    ...(hiddenLocals.length > 0
      ? [`  let ${hiddenLocals.map((k) => `${optimiser.local(k)} = S[${hiddenBase + k}]`).join(', ')};`]
      : []),
    ...(paramLocals.size > 0 ? [`  const ${[...paramLocals].map((k) => `p${k} = P[${k}]`).join(', ')};`] : []),
    '  for (let yi = 1; yi < years; yi++) {',
    '  const year = BASE + yi;',
    ...fusedLoop.map((l) => `  ${l}`),
    '  }',
    ...stateLocals.map((k) => `  S[${k}] = s${k};`),
    ...hiddenLocals.map((k) => `  S[${hiddenBase + k}] = ${optimiser.local(k)};`),
    '};',
  ].join('\n');
  return {
    init: fast.init,
    step: fast.step,
    checkedInit: checked.init,
    checkedStep: checked.step,
    optimised: {
      yearBlock: optimiser.yearSlots.length,
      hiddenStates: optimiser.hiddenStates,
      // Parameter slots the per-year table reads: a run whose parameters differ there needs a new table.
      preparedParams: [...new Set([...opt.prepare.matchAll(/P\[(\d+)\]/g)].map((m) => Number(m[1])))].sort(
        (a, b) => a - b,
      ),
      // Lever columns (lever × region within a year) it reads: a projection with other values there needs one too.
      preparedLevers: [...new Set([...opt.prepare.matchAll(/L\[lb \+ (\d+)\]/g)].map((m) => Number(m[1])))].sort(
        (a, b) => a - b,
      ),
      computedSeries: computedSeries(c, spec.series),
      ...(observeYears ? { computedYears: [...new Set([0, ...observeYears])].sort((a, b) => a - b) } : {}),
      fixedSeries: fixedSeries(c, [...drawnNames, ...shockSlots.map((x) => x.equation)]),
      fixedSeriesByYear: fixedSeriesByYear(
        c,
        drawnNames,
        shockSlots.map((x) => x.equation),
      ),
      prepare: opt.prepare,
      init: opt.init,
      step: opt.step,
      project,
      ...(pair ? { pair } : {}),
    },
  };
}
