/**
 * YAML that would crash, hang or silently change the data is a located error: alias bombs, aliases
 * to nothing, unknown tags, nesting deeper than the limit; and checking stays linear in the file.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/util/diagnostics.js';
import { MAX_YAML_DEPTH, parseYamlText } from '../../src/util/yaml-source.js';

function problems(text: string): string[] {
  try {
    parseYamlText(text, 'f.yaml', 'scenario file');
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return e.diagnostics.map((d) => `${d.location?.line}:${d.location?.column}: ${d.message}`);
  }
  throw new Error('expected a UserError');
}

const blockNesting = (n: number): string =>
  `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`;

describe('YAML nesting', () => {
  it(`${MAX_YAML_DEPTH} levels are read; one more is refused where it starts`, () => {
    const ok = parseYamlText(`a: ${'['.repeat(MAX_YAML_DEPTH - 1)}${']'.repeat(MAX_YAML_DEPTH - 1)}\n`, 'f.yaml');
    let v = (ok.data as { a: unknown }).a;
    let depth = 1; // the mapping, then each list
    while (Array.isArray(v)) {
      depth++;
      v = v[0];
    }
    expect(depth).toBe(MAX_YAML_DEPTH);
    const msg = `invalid YAML: nested more than ${MAX_YAML_DEPTH} levels deep (mappings and lists may nest at most ${MAX_YAML_DEPTH} levels)`;
    expect(problems(`a: ${'['.repeat(MAX_YAML_DEPTH)}${']'.repeat(MAX_YAML_DEPTH)}\n`)).toEqual([`1:103: ${msg}`]);
    expect(parseYamlText(blockNesting(MAX_YAML_DEPTH), 'f.yaml').data).toBeTypeOf('object');
    expect(problems(blockNesting(MAX_YAML_DEPTH + 1))).toEqual([`101:101: ${msg}`]);
  });

  it('820 levels (which overflowed the stack) and 100,000 levels give the same message', () => {
    expect(problems(blockNesting(820))).toEqual([
      `101:101: invalid YAML: nested more than ${MAX_YAML_DEPTH} levels deep (mappings and lists may nest at most ${MAX_YAML_DEPTH} levels)`,
    ]);
    expect(problems(`${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)[0]).toMatch(
      /^1:101: invalid YAML: nested more than/,
    );
    expect(problems(`${'{a: '.repeat(5_000)}1${'}'.repeat(5_000)}\n`)[0]).toMatch(
      /^1:401: invalid YAML: nested more than/,
    );
  });
});

describe('YAML aliases', () => {
  it('an alias to an anchor that is not defined (before it)', () => {
    expect(problems('name: *x\n')).toEqual([
      "1:7: invalid YAML: alias '*x' refers to no anchor before it (define '&x' first)",
    ]);
    expect(problems('a: *x\nb: &x 1\n')).toEqual([
      "1:4: invalid YAML: alias '*x' refers to no anchor before it (define '&x' first)",
    ]);
  });

  it('100 uses of an anchor are read; 101, and an alias bomb, are refused', () => {
    const uses = (n: number) => `a: &x 1\nb: [${Array(n).fill('*x').join(', ')}]\n`;
    expect((parseYamlText(uses(100), 'f.yaml').data as { b: number[] }).b).toEqual(Array(100).fill(1));
    const msg =
      'invalid YAML: aliases expand too much (an anchor may be used at most 100 times, fewer when it holds aliases itself)';
    expect(problems(uses(101))).toEqual([`2:5: ${msg}`]);
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    expect(problems(bomb)).toEqual([`2:10: ${msg}`]);
  });

  it('an alias inside the value it names', () => {
    expect(problems('a: &l { b: *l }\n')).toEqual([
      "1:12: invalid YAML: alias '*l' is inside the value it names (a structure without end)",
    ]);
  });
});

describe('YAML tags and warnings', () => {
  it('unknown tags are errors, each at its place; standard ones are read', () => {
    expect(problems('a: !!js/function "f"\nb: !foo bar\n')).toEqual([
      "1:4: invalid YAML: unknown tag '!!js/function' (only the standard tags such as !!str are understood: remove it)",
      "2:4: invalid YAML: unknown tag '!foo' (only the standard tags such as !!str are understood: remove it)",
    ]);
    expect(parseYamlText('a: !!str 12\nb: !!int "3"\n', 'f.yaml').data).toEqual({ a: '12', b: 3 });
  });

  it('a second document is an error, not dropped', () => {
    expect(problems('a: 1\n---\nb: 2\n')).toEqual([
      '2:1: invalid YAML: a file holds one YAML document; this is a second one',
    ]);
  });
});

describe('large mappings', () => {
  it('duplicate keys are still found, each at the repeated key', () => {
    expect(problems('a: 1\nb: 2\na: 3\n"b": 4\n1: x\n"1": y\n')).toEqual([
      '3:1: invalid YAML: Map keys must be unique',
      '4:1: invalid YAML: Map keys must be unique',
    ]);
  });

  it('50,000 keys are checked and located in linear time (keys indexed once, not scanned per key)', () => {
    let text = '';
    for (let i = 0; i < 50_000; i++) text += `k${i}: ${i}\n`;
    text += 'k7: dup\n';
    expect(problems(text)).toEqual(['50001:1: invalid YAML: Map keys must be unique']);
    const src = parseYamlText(text.slice(0, text.lastIndexOf('k7: dup')), 'f.yaml');
    expect(src.locateKey(['k49999'])).toEqual({ file: 'f.yaml', line: 50_000, column: 1 });
    expect(src.locate(['k12345'])).toEqual({ file: 'f.yaml', line: 12_346, column: 9 });
  });
});
