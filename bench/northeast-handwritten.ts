import type { CompiledModel } from '../src/model/compiled-model.js';

/**
 * The Northeast model (src/models/northeast.yaml) written out by hand, as a careful human would for
 * speed: parameters read once per run into locals, states kept in locals across the years, each
 * time-only factor (persistence^(t-1)) computed once per year rather than once per use, the three
 * provinces unrolled. It is the yardstick the generated kernel is measured against.
 *
 * It reads the same parameter vector and lever array as the generated kernel (slots found once, from
 * `model.parameters[i].offset` and `model.levers[i].index`) and writes the same output layout:
 * `out[yi * seriesCount + series]`, series = for each indicator the 3 provinces, the Northeast
 * aggregate, then the national reference when the indicator has one.
 *
 * Floating-point operations follow the YAML expressions term by term, in the same order as the
 * generated code, so the two agree to the last bit except where noted (clamp as a conditional).
 */

/** Series order the hand-written kernel writes; checked against the compiled model on creation. */
export const NORTHEAST_SERIES: readonly string[] = (() => {
  const P = ['liaoning', 'jilin', 'heilongjiang', 'northeast'];
  const withRef = (ind: string): string[] => [...P, 'national'].map((r) => `${ind}/${r}`);
  const noRef = (ind: string): string[] => P.map((r) => `${ind}/${r}`);
  return [
    ...withRef('trade_dependence'),
    ...withRef('trade'),
    ...withRef('gdp'),
    ...withRef('private_investment_growth'),
    ...noRef('private_investment_share'),
    ...withRef('rd_intensity'),
    ...withRef('soe_share'),
    ...noRef('hightech_trade_share'),
  ];
})();

const REGIONS = ['liaoning', 'jilin', 'heilongjiang'] as const;
const LEVERS = ['ftz', 'parks', 'openness', 'corridor', 'soe_reform', 'rd_push', 'invest_env'] as const;

export interface HandwrittenKernel {
  /** Full projection: base year (row 0) and `years - 1` steps; fills rows 0..years-1 of `out`. */
  project(P: Float64Array, L: Float64Array, out: Float64Array, years: number): Float64Array;
  readonly seriesCount: number;
}

/** Slots of every parameter, by name; regional parameters have 3 consecutive slots. */
function slots(model: CompiledModel): (name: string) => number {
  const byName = new Map(model.parameters.map((p) => [p.name, p]));
  return (name) => {
    const p = byName.get(name);
    if (!p) throw new Error(`hand-written Northeast kernel: model has no parameter '${name}'`);
    return p.offset;
  };
}

/** Builds the hand-written kernel for a compiled Northeast model (checks the layout first). */
export function createHandwrittenNortheast(model: CompiledModel): HandwrittenKernel {
  // Layout checks: the hand-written code hard-codes 3 provinces, 7 levers and 38 series.
  const regionIds = model.regions.map((r) => r.id);
  if (regionIds.join() !== REGIONS.join())
    throw new Error(`hand-written Northeast kernel: unexpected regions ${regionIds.join()}`);
  const seriesIds = model.series.map((s) => `${s.indicator}/${s.region}`);
  if (seriesIds.join() !== NORTHEAST_SERIES.join())
    throw new Error('hand-written Northeast kernel: unexpected series layout');
  if (model.shockBlock !== 0) throw new Error('hand-written Northeast kernel: shocks are not supported');
  const R = 3;
  const leverIdx = (name: string): number => {
    const l = model.levers.find((x) => x.name === name);
    if (!l) throw new Error(`hand-written Northeast kernel: model has no lever '${name}'`);
    return l.index * R;
  };
  for (const name of LEVERS) leverIdx(name);
  if (model.levers.length !== LEVERS.length) throw new Error('hand-written Northeast kernel: unexpected levers');

  const s = slots(model);
  // Parameter slots, found once.
  const oGdp2015 = s('gdp_2015');
  const oGdpNe2015 = s('gdp_northeast_2015');
  const oTdNe2015 = s('td_northeast_2015');
  const oTradeUsd2015 = s('trade_usd_2015');
  const oTradeUsdNe2015 = s('trade_usd_northeast_2015');
  const oRd2015 = s('rd_2015');
  const oHt2015 = s('hightech_2015');
  const oSoeNe2015 = s('soe_northeast_2015');
  const oPs2015 = s('private_share_2015');
  const oPg2015 = s('private_growth_2015');
  const oNGdp2015 = s('national_gdp_2015');
  const oNGdpGrowth = s('national_gdp_growth');
  const oNTd2015 = s('national_td_2015');
  const oNTdFloor = s('national_td_floor');
  const oNTdSpeed = s('national_td_speed');
  const oNRd2015 = s('national_rd_2015');
  const oNRdSlope = s('national_rd_slope');
  const oNSoe2015 = s('national_soe_2015');
  const oNSoeTrend = s('national_soe_trend');
  const oNPg2015 = s('national_private_growth_2015');
  const oNPg2016 = s('national_private_growth_2016');
  const oGdpGrowth = s('gdp_growth');
  const oTdTrend = s('td_trend');
  const oTdPers = s('td_trend_persistence');
  const oPg2016 = s('private_growth_2016');
  const oPsChange2016 = s('private_share_change_2016');
  const oRecovery = s('private_recovery');
  const oRdTrend = s('rd_trend');
  const oRdPers = s('rd_trend_persistence');
  const oSoeTrend = s('soe_trend');
  const oRussiaShare = s('russia_trade_share');
  const oFtzTrade = s('ftz_trade');
  const oFtzPrivate = s('ftz_private');
  const oFtzPrivateShare = s('ftz_private_share');
  const oOpenTrade = s('openness_trade');
  const oOpenHt = s('openness_hightech');
  const oCorrTrade = s('corridor_trade');
  const oRussiaCorr = s('russia_corridor_factor');
  const oParksScale = s('parks_scale');
  const oParksRd = s('parks_rd');
  const oParksHt = s('parks_hightech');
  const oParksPrivate = s('parks_private');
  const oSoeSpeed = s('soe_reform_speed');
  const oSoePrivate = s('soe_reform_private');
  const oSoePrivateShare = s('soe_reform_private_share');
  const oRdPushRd = s('rd_push_rd');
  const oRdPushHt = s('rd_push_hightech');
  const oEnvPrivate = s('env_private');
  const oEnvPrivateShare = s('env_private_share');
  const oEastTd = s('east_td');
  const oPassthrough = s('trade_gdp_passthrough');
  const oWorldDev = s('world_trade_dev');
  const oRussiaDev = s('russia_dev');
  // Lever offsets within a year's block (lever × 3 + region).
  const lFtz = leverIdx('ftz');
  const lParks = leverIdx('parks');
  const lOpen = leverIdx('openness');
  const lCorr = leverIdx('corridor');
  const lSoe = leverIdx('soe_reform');
  const lRdPush = leverIdx('rd_push');
  const lEnv = leverIdx('invest_env');

  const NS = model.seriesCount;
  const LB = model.leverBlock;

  const clamp100 = (x: number): number => (x < 0 ? 0 : Math.min(x, 100));

  /** Outputs of one year (row `o`), from the states after the step. */
  const observe = (
    out: Float64Array,
    o: number,
    nGdp: number,
    nTd: number,
    nRd: number,
    nSoe: number,
    nPg: number,
    gdp0: number,
    gdp1: number,
    gdp2: number,
    tr0: number,
    tr1: number,
    tr2: number,
    pg0: number,
    pg1: number,
    pg2: number,
    ps0: number,
    ps1: number,
    ps2: number,
    rd0: number,
    rd1: number,
    rd2: number,
    soe0: number,
    soe1: number,
    soe2: number,
    ht0: number,
    ht1: number,
    ht2: number,
  ): void => {
    const wg = gdp0 + gdp1 + gdp2;
    const td0 = (100 * tr0) / gdp0,
      td1 = (100 * tr1) / gdp1,
      td2 = (100 * tr2) / gdp2;
    out[o] = td0;
    out[o + 1] = td1;
    out[o + 2] = td2;
    out[o + 3] = (gdp0 * td0 + gdp1 * td1 + gdp2 * td2) / wg;
    out[o + 4] = nTd;
    out[o + 5] = tr0;
    out[o + 6] = tr1;
    out[o + 7] = tr2;
    out[o + 8] = tr0 + tr1 + tr2;
    out[o + 9] = (nTd / 100) * nGdp;
    out[o + 10] = gdp0;
    out[o + 11] = gdp1;
    out[o + 12] = gdp2;
    out[o + 13] = wg;
    out[o + 14] = nGdp;
    const pi0 = 100 * pg0,
      pi1 = 100 * pg1,
      pi2 = 100 * pg2;
    out[o + 15] = pi0;
    out[o + 16] = pi1;
    out[o + 17] = pi2;
    out[o + 18] = (gdp0 * pi0 + gdp1 * pi1 + gdp2 * pi2) / wg;
    out[o + 19] = 100 * nPg;
    out[o + 20] = ps0;
    out[o + 21] = ps1;
    out[o + 22] = ps2;
    out[o + 23] = (gdp0 * ps0 + gdp1 * ps1 + gdp2 * ps2) / wg;
    out[o + 24] = rd0;
    out[o + 25] = rd1;
    out[o + 26] = rd2;
    out[o + 27] = (gdp0 * rd0 + gdp1 * rd1 + gdp2 * rd2) / wg;
    out[o + 28] = nRd;
    out[o + 29] = soe0;
    out[o + 30] = soe1;
    out[o + 31] = soe2;
    out[o + 32] = (gdp0 * soe0 + gdp1 * soe1 + gdp2 * soe2) / wg;
    out[o + 33] = nSoe;
    out[o + 34] = ht0;
    out[o + 35] = ht1;
    out[o + 36] = ht2;
    out[o + 37] = (tr0 * ht0 + tr1 * ht1 + tr2 * ht2) / (tr0 + tr1 + tr2);
  };

  function project(P: Float64Array, L: Float64Array, out: Float64Array, years: number): Float64Array {
    // Parameters, once per run.
    const nGdpGrowth = P[oNGdpGrowth]!,
      nTdFloor = P[oNTdFloor]!,
      nTdSpeed = P[oNTdSpeed]!;
    const nRdSlope = P[oNRdSlope]!,
      nSoeTrend = P[oNSoeTrend]!,
      nPg2016 = P[oNPg2016]!;
    const tdTrend = P[oTdTrend]!,
      tdPers = P[oTdPers]!,
      pg2016 = P[oPg2016]!,
      psChange2016 = P[oPsChange2016]!;
    const recovery = P[oRecovery]!,
      rdPers = P[oRdPers]!,
      soeTrend = P[oSoeTrend]!;
    const ftzTrade = P[oFtzTrade]!,
      ftzPrivate = P[oFtzPrivate]!,
      ftzPrivateShare = P[oFtzPrivateShare]!;
    const openTrade = P[oOpenTrade]!,
      openHt = P[oOpenHt]!,
      corrTrade = P[oCorrTrade]!,
      russiaCorr = P[oRussiaCorr]!;
    const parksScale = P[oParksScale]!,
      parksRd = P[oParksRd]!,
      parksHt = P[oParksHt]!,
      parksPrivate = P[oParksPrivate]!;
    const soeSpeed = P[oSoeSpeed]!,
      soePrivate = P[oSoePrivate]!,
      soePrivateShare = P[oSoePrivateShare]!;
    const rdPushRd = P[oRdPushRd]!,
      rdPushHt = P[oRdPushHt]!,
      envPrivate = P[oEnvPrivate]!,
      envPrivateShare = P[oEnvPrivateShare]!;
    const eastTd = P[oEastTd]!,
      passthrough = P[oPassthrough]!;
    const worldDev = P[oWorldDev]!,
      russiaDev = P[oRussiaDev]!;
    const gg0 = P[oGdpGrowth]!,
      gg1 = P[oGdpGrowth + 1]!,
      gg2 = P[oGdpGrowth + 2]!;
    const rdT0 = P[oRdTrend]!,
      rdT1 = P[oRdTrend + 1]!,
      rdT2 = P[oRdTrend + 2]!;
    const rus0 = P[oRussiaShare]!,
      rus1 = P[oRussiaShare + 1]!,
      rus2 = P[oRussiaShare + 2]!;
    // Region-invariant parts of the trade growth (same association as the YAML: ... + world + share * russia).
    const rusDev0 = rus0 * russiaDev,
      rusDev1 = rus1 * russiaDev,
      rusDev2 = rus2 * russiaDev;

    // Initial states (base year).
    let nGdp = P[oNGdp2015]!,
      nTd = P[oNTd2015]!,
      nRd = P[oNRd2015]!,
      nSoe = P[oNSoe2015]!,
      nPg = P[oNPg2015]!;
    let gdp0 = P[oGdp2015]!,
      gdp1 = P[oGdp2015 + 1]!,
      gdp2 = P[oGdp2015 + 2]!;
    const tradeNe = (P[oTdNe2015]! / 100) * P[oGdpNe2015]!;
    const usdNe = P[oTradeUsdNe2015]!;
    let tr0 = (tradeNe * P[oTradeUsd2015]!) / usdNe,
      tr1 = (tradeNe * P[oTradeUsd2015 + 1]!) / usdNe,
      tr2 = (tradeNe * P[oTradeUsd2015 + 2]!) / usdNe;
    const pg15 = P[oPg2015]!,
      ps15 = P[oPs2015]!,
      soe15 = P[oSoeNe2015]!;
    let pg0 = pg15,
      pg1 = pg15,
      pg2 = pg15;
    let ps0 = ps15,
      ps1 = ps15,
      ps2 = ps15;
    let rd0 = P[oRd2015]!,
      rd1 = P[oRd2015 + 1]!,
      rd2 = P[oRd2015 + 2]!;
    let soe0 = soe15,
      soe1 = soe15,
      soe2 = soe15;
    let ht0 = P[oHt2015]!,
      ht1 = P[oHt2015 + 1]!,
      ht2 = P[oHt2015 + 2]!;
    // Each year's values are recorded, then (but for the last year) stepped to the next.
    for (let yi = 0; ; yi++) {
      observe(
        out,
        yi * NS,
        nGdp,
        nTd,
        nRd,
        nSoe,
        nPg,
        gdp0,
        gdp1,
        gdp2,
        tr0,
        tr1,
        tr2,
        pg0,
        pg1,
        pg2,
        ps0,
        ps1,
        ps2,
        rd0,
        rd1,
        rd2,
        soe0,
        soe1,
        soe2,
        ht0,
        ht1,
        ht2,
      );
      if (yi + 1 === years) break;

      const t = yi + 1; // the year stepped to - base year, as in the YAML
      const recPow = recovery ** (t - 1);
      const tdPow = 1 + tdTrend * tdPers ** (t - 1);
      const rdPow = rdPers ** (t - 1);
      const lb = t * LB;

      // Globals.
      const nGdpN = nGdp * (1 + nGdpGrowth);
      const nTdN = nTd + (nTdFloor - nTd) * nTdSpeed;
      const nRdN = nRd + nRdSlope;
      const nSoeN = clamp100(nSoe + nSoeTrend);
      const nPgN = nGdpGrowth + (nPg2016 - nGdpGrowth) * recPow;

      // Levers of the year.
      const ftz0 = L[lb + lFtz]!,
        ftz1 = L[lb + lFtz + 1]!,
        ftz2 = L[lb + lFtz + 2]!;
      const opn0 = L[lb + lOpen]!,
        opn1 = L[lb + lOpen + 1]!,
        opn2 = L[lb + lOpen + 2]!;
      const soeR0 = L[lb + lSoe]!,
        soeR1 = L[lb + lSoe + 1]!,
        soeR2 = L[lb + lSoe + 2]!;
      const rdP0 = L[lb + lRdPush]!,
        rdP1 = L[lb + lRdPush + 1]!,
        rdP2 = L[lb + lRdPush + 2]!;
      const env0 = L[lb + lEnv]!,
        env1 = L[lb + lEnv + 1]!,
        env2 = L[lb + lEnv + 2]!;

      // Auxiliaries.
      const pe0 = 1 - Math.exp(-L[lb + lParks]! / parksScale);
      const pe1 = 1 - Math.exp(-L[lb + lParks + 1]! / parksScale);
      const pe2 = 1 - Math.exp(-L[lb + lParks + 2]! / parksScale);
      const ltd0 = (100 * tr0) / gdp0 / eastTd,
        ltd1 = (100 * tr1) / gdp1 / eastTd,
        ltd2 = (100 * tr2) / gdp2 / eastTd;
      const lt0 =
        (ftzTrade * ftz0 + openTrade * opn0 + corrTrade * L[lb + lCorr]! * russiaCorr) * (ltd0 < 1 ? 1 - ltd0 : 0);
      const lt1 =
        (ftzTrade * ftz1 + openTrade * opn1 + corrTrade * L[lb + lCorr + 1]! * russiaCorr) * (ltd1 < 1 ? 1 - ltd1 : 0);
      const lt2 =
        (ftzTrade * ftz2 + openTrade * opn2 + corrTrade * L[lb + lCorr + 2]! * russiaCorr) * (ltd2 < 1 ? 1 - ltd2 : 0);

      // States.
      const gdpN0 = gdp0 * (1 + (gg0 + (passthrough * lt0 * tr0) / gdp0));
      const gdpN1 = gdp1 * (1 + (gg1 + (passthrough * lt1 * tr1) / gdp1));
      const gdpN2 = gdp2 * (1 + (gg2 + (passthrough * lt2 * tr2) / gdp2));
      tr0 = tr0 * (1 + ((1 + gg0) * tdPow - 1 + worldDev + rusDev0 + lt0));
      tr1 = tr1 * (1 + ((1 + gg1) * tdPow - 1 + worldDev + rusDev1 + lt1));
      tr2 = tr2 * (1 + ((1 + gg2) * tdPow - 1 + worldDev + rusDev2 + lt2));
      gdp0 = gdpN0;
      gdp1 = gdpN1;
      gdp2 = gdpN2;
      pg0 =
        gg0 + (pg2016 - gg0) * recPow + ftzPrivate * ftz0 + parksPrivate * pe0 + soePrivate * soeR0 + envPrivate * env0;
      pg1 =
        gg1 + (pg2016 - gg1) * recPow + ftzPrivate * ftz1 + parksPrivate * pe1 + soePrivate * soeR1 + envPrivate * env1;
      pg2 =
        gg2 + (pg2016 - gg2) * recPow + ftzPrivate * ftz2 + parksPrivate * pe2 + soePrivate * soeR2 + envPrivate * env2;
      const psStep = psChange2016 * recPow;
      ps0 = clamp100(ps0 + psStep + ftzPrivateShare * ftz0 + soePrivateShare * soeR0 + envPrivateShare * env0);
      ps1 = clamp100(ps1 + psStep + ftzPrivateShare * ftz1 + soePrivateShare * soeR1 + envPrivateShare * env1);
      ps2 = clamp100(ps2 + psStep + ftzPrivateShare * ftz2 + soePrivateShare * soeR2 + envPrivateShare * env2);
      rd0 = rd0 * (1 + rdT0 * rdPow) + rdPushRd * rdP0 + parksRd * pe0;
      rd1 = rd1 * (1 + rdT1 * rdPow) + rdPushRd * rdP1 + parksRd * pe1;
      rd2 = rd2 * (1 + rdT2 * rdPow) + rdPushRd * rdP2 + parksRd * pe2;
      soe0 = clamp100(soe0 + soeTrend - soeSpeed * soeR0);
      soe1 = clamp100(soe1 + soeTrend - soeSpeed * soeR1);
      soe2 = clamp100(soe2 + soeTrend - soeSpeed * soeR2);
      ht0 = clamp100(ht0 + openHt * opn0 + parksHt * pe0 + rdPushHt * rdP0);
      ht1 = clamp100(ht1 + openHt * opn1 + parksHt * pe1 + rdPushHt * rdP1);
      ht2 = clamp100(ht2 + openHt * opn2 + parksHt * pe2 + rdPushHt * rdP2);
      nGdp = nGdpN;
      nTd = nTdN;
      nRd = nRdN;
      nSoe = nSoeN;
      nPg = nPgN;
    }
    return out;
  }

  return { project, seriesCount: NS };
}

export interface KernelComparison {
  readonly values: number;
  readonly maxRelDiff: number;
  /** Where the largest difference is: year and series id. */
  readonly worst:
    | { readonly year: number; readonly series: string; readonly generated: number; readonly handwritten: number }
    | undefined;
  readonly exactMatches: number;
}

/**
 * Runs the generated kernel (init + step, unchecked) and the hand-written one on the same inputs and
 * returns the largest relative difference, |g − h| / max(|g|, |h|) (0 when both are 0).
 */
export function compareKernels(
  model: CompiledModel,
  P: Float64Array,
  L: Float64Array,
  years: number,
): KernelComparison {
  const NS = model.seriesCount;
  const gen = new Float64Array(years * NS);
  const S = new Float64Array(model.stateCount);
  const X = new Float64Array(0);
  model.init(P, S, gen);
  for (let yi = 1; yi < years; yi++) model.step(P, L, X, S, gen, yi, model.baseYear + yi);
  const hand = createHandwrittenNortheast(model).project(P, L, new Float64Array(years * NS), years);
  let maxRelDiff = 0;
  let exactMatches = 0;
  let worst: KernelComparison['worst'];
  for (let i = 0; i < gen.length; i++) {
    const g = gen[i]!,
      h = hand[i]!;
    if (Object.is(g, h) || g === h) {
      exactMatches++;
      continue;
    }
    const rel = Number.isNaN(g) || Number.isNaN(h) ? Infinity : Math.abs(g - h) / Math.max(Math.abs(g), Math.abs(h));
    if (rel > maxRelDiff || worst === undefined) {
      maxRelDiff = Math.max(maxRelDiff, rel);
      const sIdx = i % NS;
      worst = {
        year: model.baseYear + Math.floor(i / NS),
        series: NORTHEAST_SERIES[sIdx]!,
        generated: g,
        handwritten: h,
      };
    }
  }
  return { values: gen.length, maxRelDiff, worst, exactMatches };
}
