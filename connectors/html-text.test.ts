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

describe('collapseWhitespace', () => {
  test('removes invisible characters and no-break spaces', () => {
    expect(collapseWhitespace('\u200Ba\u00A0\u00A0b\n\tc\uFEFF ')).toBe('a b c');
  });

  test('drops terminal escape sequences whole: OSC 52 clipboard write, screen clear, colours', () => {
    expect(collapseWhitespace('\u001b]52;c;ZXZpbA==\u0007Hello\u001b[2J')).toBe('Hello');
    expect(collapseWhitespace('\u001b]0;title\u001b\\Kept \u001b[1;31mred\u001b[0m \u001bcreset')).toBe(
      'Kept red reset',
    );
    // The single-byte C1 forms of CSI and OSC.
    expect(collapseWhitespace('a\u009b2Jb \u009d8;;https://evil.example\u009cc')).toBe('ab c');
  });

  test('drops the remaining C0 and C1 controls and DEL; tab and newline become spaces', () => {
    expect(collapseWhitespace('a\u0000b\u0007c\u007fd\u0085e\u009ff\tg\r\nh')).toBe('abcdef g h');
    // An unterminated sequence loses its ESC, so what is left is inert text.
    const leftover = collapseWhitespace('x\u001b]52;c;ZXZpbA==');
    expect(leftover).toBe('x52;c;ZXZpbA==');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(leftover).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  test('drops bidi embeddings, overrides and isolates', () => {
    expect(collapseWhitespace('\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee \u2066f\u2067g\u2068h\u2069')).toBe('abcde fgh');
  });

  test('stays fast on hostile runs of escape introducers', () => {
    const started = performance.now();
    collapseWhitespace('\u009d'.repeat(200_000) + `\u001b]${'a'.repeat(500_000)}` + '\u001b['.repeat(200_000));
    // A backtracking blow-up would take minutes; this only guards against one.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

test('htmlToPlainText strips escapes whether raw or written as character references', () => {
  expect(htmlToPlainText('<p>\u001b]52;c;ZXZpbA==\u0007Hello\u001b[2J</p>', 100)).toBe('Hello');
  expect(htmlToPlainText('<p>&#x1b;[2JCleared&#27;]0;t&#7; &#x202E;now</p>', 100)).toBe('Cleared now');
});
