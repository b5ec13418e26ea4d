/**
 * The one problem collector (src/util/problems.ts): located at the value or at its key, paths in one
 * format, views for a section of a file and for an included file writing into one list.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, UserError } from '../../src/util/diagnostics.js';
import { Problems, pathString, prefixPath } from '../../src/util/problems.js';
import { parseYamlText } from '../../src/util/yaml-source.js';

const TEXT = ['name: x', 'uncertainties:', '  parameters:', '    d:', '      weights: [1, -1]', ''].join('\n');

describe('the one path format', () => {
  it('keys dotted, list indices in brackets', () => {
    expect(pathString(['uncertainties', 'parameters', 'd', 'weights', 1])).toBe(
      'uncertainties.parameters.d.weights[1]',
    );
    expect(pathString(['correlation', 'matrix', 0, 1])).toBe('correlation.matrix[0][1]');
    expect(pathString([])).toBe('');
  });
  it('a relative path prefixed', () => {
    expect(prefixPath(['uncertainties'], 'parameters.d.weights[1]')).toBe('uncertainties.parameters.d.weights[1]');
    expect(prefixPath(['matrix'], '[0][1]')).toBe('matrix[0][1]');
    expect(prefixPath([], 'a.b')).toBe('a.b');
    expect(prefixPath(['a'], '')).toBe('a');
  });
});

describe('Problems', () => {
  const src = parseYamlText(TEXT, 'f.yaml');

  it('at the value of a list item, through a view of a section', () => {
    const all = new Problems(src);
    all.within(['uncertainties', 'parameters']).at(['d', 'weights', 1], 'weight must be >= 0 (got -1)');
    expect(all.diagnostics.map(formatDiagnostic)).toEqual([
      'f.yaml:5:20: uncertainties.parameters.d.weights[1]: weight must be >= 0 (got -1)',
    ]);
  });

  it('at the key, for a name; an included file through its own view, into the same list, thrown sorted', () => {
    const all = new Problems(src);
    const other = parseYamlText('a: 1\nb: 2\n', 'g.yaml');
    all.inFile(other).atKey(['b'], 'unknown', "did you mean 'a'?");
    all.atKey(['uncertainties', 'parameters', 'd'], 'unknown parameter');
    expect(all.count).toBe(2);
    let thrown: unknown;
    try {
      all.throwIfAny();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).diagnostics.map(formatDiagnostic)).toEqual([
      "g.yaml:2:1: b: unknown (did you mean 'a'?)",
      'f.yaml:4:5: uncertainties.parameters.d: unknown parameter',
    ]);
  });

  it('a locator with no place for a path gives the file alone; nothing collected throws nothing', () => {
    const p = new Problems({ file: 'm.yaml', locate: () => undefined });
    p.at(['states', 'x'], 'bad');
    expect(p.diagnostics.map(formatDiagnostic)).toEqual(['m.yaml: states.x: bad']);
    expect(() => new Problems(src).throwIfAny()).not.toThrow();
  });
});
