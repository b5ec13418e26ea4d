import { describe, expect, it } from 'vitest';
import { intern } from '../../src/util/intern.js';

describe('intern', () => {
  it('numbers keys by first use, gives an equal key its number, and calls add once per new key', () => {
    const index = new Map<string, number>([['preset', 0]]);
    const added: [number, string][] = [];
    const number = (key: string): number => intern(index, key, (n) => added.push([n, key]));
    expect(['a', 'b', 'a', 'preset', 'c', 'b'].map(number)).toEqual([1, 2, 1, 0, 3, 2]);
    expect(added).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  it('a key added from inside add (a nested call) takes the next number', () => {
    const index = new Map<string, number>();
    expect(intern(index, 'outer', () => intern(index, 'inner'))).toBe(0);
    expect(index.get('inner')).toBe(1);
  });
});
