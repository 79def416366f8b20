import { describe, expect, test } from 'vitest';
import { collapseWhitespace, htmlToPlainText, truncate } from './html-text.ts';

describe('htmlToPlainText', () => {
  test('drops tags and decodes entities', () => {
    expect(htmlToPlainText('<p>Fish &amp; chips &lt;3 it&#8217;s&nbsp;<b>hot</b> &#x2014; &eacute;</p>', 200)).toBe(
      'Fish & chips <3 it’s hot — é',
    );
  });

  test('keeps link text but not the href', () => {
    const text = htmlToPlainText('Read <a href="https://tracker.example/?u=1">the report</a> now', 200);
    expect(text).toBe('Read the report now');
    expect(text).not.toContain('tracker');
  });

  test('skips scripts, styles and images, even their alt text', () => {
    const html =
      '<style>p { color: red }</style><p>Before</p><script>alert("x")</script>' +
      '<img src="https://img.example/a.png" alt="ALT TEXT"><noscript>enable js</noscript><p>After</p>';
    expect(htmlToPlainText(html, 200)).toBe('Before After');
  });

  test('collapses whitespace across blocks, line breaks and lists, and keeps heading case', () => {
    const html =
      '<h2>Top  story</h2>\n\n<p>Line one<br>line\ttwo</p><ul><li>alpha</li><li>beta</li></ul><hr><p>end</p>';
    expect(htmlToPlainText(html, 200)).toBe('Top story Line one line two • alpha • beta end');
  });

  test('table cells stay apart', () => {
    expect(htmlToPlainText('<table><tr><th>Index</th><td>+1.2%</td></tr></table>', 200)).toBe('Index +1.2%');
  });

  test('plain text passes through, including a lone "<"', () => {
    expect(htmlToPlainText('1 < 2 and AT&T', 200)).toBe('1 < 2 and AT&T');
  });

  test('bounds the length with an ellipsis', () => {
    const text = htmlToPlainText(`<p>${'word '.repeat(100)}</p>`, 50);
    expect(text.length).toBeLessThanOrEqual(50);
    expect(text.endsWith('…')).toBe(true);
    expect(text.startsWith('word word')).toBe(true);
  });

  test('a huge input is cut before conversion and still marked as cut', () => {
    // 3 MB of markup with little text: converting all of it would be wasted work for a short snippet.
    const html = `<p>Start</p>${'<span style="x"></span>'.repeat(150_000)}<p>Hidden tail</p>`;
    const text = htmlToPlainText(html, 100);
    expect(text).toBe('Start…');
  });

  test('empty input and zero length give empty text', () => {
    expect(htmlToPlainText('', 100)).toBe('');
    expect(htmlToPlainText('<p>x</p>', 0)).toBe('');
    expect(htmlToPlainText('<p> </p><script>x</script>', 100)).toBe('');
  });
});

describe('truncate', () => {
  test('leaves short text alone', () => {
    expect(truncate('short', 5)).toBe('short');
  });

  test('cuts at a nearby word boundary and ends in an ellipsis within the limit', () => {
    expect(truncate('The quick brown fox jumps', 12)).toBe('The quick…');
  });

  test('cuts mid-word when there is no nearby space', () => {
    const cut = truncate('a'.repeat(30), 10);
    expect(cut).toBe(`${'a'.repeat(9)}…`);
  });

  test('never splits a surrogate pair', () => {
    const cut = truncate('ab😀cd', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });

  test('tiny limits', () => {
    expect(truncate('hello', 1)).toBe('…');
    expect(truncate('hello', 0)).toBe('');
  });
});

test('collapseWhitespace removes invisible characters and no-break spaces', () => {
  expect(collapseWhitespace('\u200Ba\u00A0\u00A0b\n\tc\uFEFF ')).toBe('a b c');
});
