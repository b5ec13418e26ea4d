/** The one place index arithmetic lives: cells by (year, series), lever slots by (year, lever, region). */
import { describe, expect, it } from 'vitest';
import {
  cellIndex,
  horizonGrid,
  leverOfSlot,
  leverSlot,
  projectionGrid,
  rowStart,
  seriesValues,
} from '../../src/model/layout.js';

// A layout small enough to lay out by hand: base year 2015, 7 series, 2 levers × 3 regions.
const layout = {
  baseYear: 2015,
  seriesCount: 7,
  leverBlock: 6,
  regions: [
    { id: 'a', name: 'A' },
    { id: 'b', name: 'B' },
    { id: 'c', name: 'C' },
  ],
};

describe('year × series grids', () => {
  it('a projection grid counts rows from the base year, a horizon grid from the horizon start', () => {
    expect(cellIndex(projectionGrid(layout), 2015, 0)).toBe(0);
    expect(cellIndex(projectionGrid(layout), 2017, 3)).toBe(2 * 7 + 3);
    expect(cellIndex(horizonGrid(layout, { start: 2016 }), 2017, 3)).toBe(1 * 7 + 3);
    expect(rowStart(projectionGrid(layout), 2020)).toBe(35);
  });

  it('reads a series year by year', () => {
    const values = Float64Array.from({ length: 4 * 7 }, (_, i) => i);
    // series 2 in 2016 and 2018: rows 1 and 3 → 9 and 23
    expect(seriesValues(values, projectionGrid(layout), 2, [2016, 2018])).toEqual([9, 23]);
  });
});

describe('lever slots', () => {
  it('are year × lever × region, and leverOfSlot inverts the lever part', () => {
    // 2017 is year index 2: 2·6 + lever 1 · 3 regions + region 2
    expect(leverSlot(layout, 2017, 1, 2)).toBe(17);
    expect(leverSlot(layout, 2015, 0, 0)).toBe(0);
    expect(leverOfSlot(layout, 17)).toBe(1);
    expect(leverOfSlot(layout, 14)).toBe(0); // 2016's block: 12..17, lever 0 in 12..14
  });
});
