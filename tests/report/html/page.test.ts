/** Text from files reaches the page inert: markup as entities, control characters escaped, in the HTML and in the SVG. */
import { describe, expect, it } from 'vitest';
import { esc } from '../../../src/report/html/page.js';
import { renderSvg } from '../../../src/report/html/svg.js';

describe('escaping', () => {
  it('markup characters become entities; control characters escapes; a newline stays', () => {
    expect(esc(`a <b> & "c" 'd'\u0007\u001b[31m\n\u007f`)).toBe(
      'a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;\\u0007\\u001b[31m\n\\u007f',
    );
    expect(esc('plain')).toBe('plain');
  });

  it('a chart title with markup and a control character is drawn as text', async () => {
    const svg = await renderSvg({
      title: 'x <script>alert(1)</script> \u0007',
      data: { values: [{ v: 1 }] },
      mark: 'point',
      encoding: { x: { field: 'v', type: 'quantitative' } },
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('x &lt;script&gt;alert(1)&lt;/script&gt; \\u0007');
    expect(svg).not.toContain('\u0007');
  });
});
