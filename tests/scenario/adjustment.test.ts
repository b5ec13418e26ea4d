import { describe, expect, it } from 'vitest';
import { adjust } from '../../src/scenario/adjustment.js';

describe('adjust: how a drawn or swept value acts on a parameter', () => {
  it('replace gives the value, scale multiplies the base, shift adds to it', () => {
    expect(adjust('replace', 0.4, 0.7)).toBe(0.7);
    expect(adjust('scale', 0.4, 1.5)).toBeCloseTo(0.6, 15);
    expect(adjust('shift', 0.4, -0.1)).toBeCloseTo(0.3, 15);
  });
});
