import { describe, expect, it } from 'vitest';
import { perObject } from '../../src/util/per-object.js';

describe('perObject', () => {
  it('makes the value once per key object, and again for another object with the same contents', () => {
    const made: object[] = [];
    const sizeOf = perObject((k: { n: number }) => {
      made.push(k);
      return { twice: 2 * k.n };
    });
    const a = { n: 3 };
    const first = sizeOf(a);
    expect(first).toEqual({ twice: 6 });
    expect(sizeOf(a)).toBe(first);
    const b = { n: 3 };
    expect(sizeOf(b)).not.toBe(first);
    expect(made).toEqual([a, b]);
    expect(made[0]).toBe(a);
  });
});
