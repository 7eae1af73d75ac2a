import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { toDot, toSvg } from '../src/index.js';
import { decodeXml, parseDot, svgNodeTexts } from './parse-dot.js';

// Each label is drawn by Graphviz and read back from the SVG: it must come out exactly as written,
// in a record that still has its three fields.
const labels = [
  'say "hi"',
  String.raw`back\slash`,
  String.raw`ends with a backslash\ `.trimEnd(),
  String.raw`\"`,
  String.raw`\n is not a newline, \N \G \L \l \r are not escapes`,
  '{braces}',
  'a | pipe',
  '<port> and > and <',
  'two\nlines',
  'crlf\r\nand cr\rtoo',
  '  leading, double  and trailing spaces  ',
  'unicode: ∂L/∂w → 0.5 · ✓ 😀',
  String.raw`all at once: "{x|y}" <a\b> \\ |}{|`,
  'HTML entities: AT&amp;T &lt;b&gt; &#169; &#xA9; &euro; &nbsp; & &x; &amp;amp;',
];

describe('record label escaping', () => {
  it.each(labels)('draws the label %j exactly', async (label) => {
    const v = new Value(1, { label }).mul(2);
    v.label = 'out';
    v.backward();

    const svg = await toSvg(v);

    const leaf = parseDot(toDot(v)).values.get('v1')!;
    expect(leaf.fields).toEqual([label.replace(/\r\n|\r/g, '\n'), 'data 1.0000', 'grad 2.0000']);
    const texts = svgNodeTexts(svg, 'v1').map((t) => t.replaceAll('\u00a0', ' '));
    expect(texts).toEqual([...label.split(/\r\n|\r|\n/), 'data 1.0000', 'grad 2.0000']);
  });

  it('draws a tab as a space and other control characters as U+FFFD', async () => {
    const v = new Value(1, { label: 'tab\there, bell\u0007, nul\u0000' });

    const svg = await toSvg(v);

    expect(svgNodeTexts(svg, 'v0')[0]).toBe('tab here, bell\ufffd, nul\ufffd');
  });

  it('keeps HTML entities as written in record fields and titles: Graphviz would decode them', async () => {
    const text = 'AT&amp;T &lt;b&gt; &#169; &euro;';
    const v = new Value(1, { label: text });

    const svg = await toSvg(v, { title: text });

    // The SVG escapes each `&` once, so a browser shows the text as written.
    const escaped = 'AT&amp;amp;T &amp;lt;b&amp;gt; &amp;#169; &amp;euro;';
    expect(svg.match(/<text[^>]*>([^<]*)<\/text>/g)!.map((t) => t.replace(/<[^>]*>/g, ''))).toEqual([
      escaped,
      escaped,
      'data 1.0000',
      'grad 0.0000',
    ]);
  });

  it('writes DOT without &amp; for text without &, as before', () => {
    const v = new Value(1, { label: 'a < b' });

    expect(toDot(v, { title: 'no entities; ' })).toBe(
      [
        'digraph {',
        '  graph [rankdir=LR, label="no entities; ", labelloc=t];',
        '  v0 [shape=record, label="{ a \\< b | data 1.0000 | grad 0.0000 }"];',
        '}',
      ].join('\n'),
    );
  });

  it.each(labels)('draws the title %j exactly', async (title) => {
    const v = new Value(1, { label: 'x' });

    const svg = await toSvg(v, { title });

    const graphGroup = svg.slice(svg.indexOf('class="graph"'), svg.indexOf('class="node"'));
    const texts = [...graphGroup.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
      decodeXml(m[1]!).replaceAll('\u00a0', ' '),
    );
    expect(texts).toEqual(title.split(/\r\n|\r|\n/));
  });
});
