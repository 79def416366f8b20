import { describe, expect, test } from 'vitest';
import { decodeFeed } from './rss.ts';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('decodeFeed', () => {
  test('UTF-8 without any declaration, and a UTF-8 byte order mark is dropped', () => {
    expect(decodeFeed(Buffer.from('{"title":"Café"}', 'utf8'), null)).toBe('{"title":"Café"}');
    expect(decodeFeed(Buffer.from('\uFEFF<rss>é</rss>', 'utf8'), 'text/xml')).toBe('<rss>é</rss>');
  });

  test('the declaration is read with either quote style and spacing, in any case', () => {
    // ISO-8859-15 has the euro sign where Latin-1 has the currency sign.
    const bytes = Buffer.concat([latin1("<?xml version='1.0' encoding = 'ISO-8859-15' ?><rss>"), Buffer.from([0xa4])]);
    expect(decodeFeed(bytes, 'application/xml')).toBe("<?xml version='1.0' encoding = 'ISO-8859-15' ?><rss>€");
  });

  test('a quoted Content-Type charset is honoured over the declaration', () => {
    const bytes = latin1('<?xml version="1.0" encoding="utf-8"?><rss>Café</rss>');
    expect(decodeFeed(bytes, 'application/rss+xml; charset="ISO-8859-1"')).toContain('Café');
    expect(decodeFeed(bytes, null)).toContain('Caf\uFFFD');
  });

  test('UTF-16 without a byte order mark is recognised from "<?"', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><rss>日本</rss>';
    expect(decodeFeed(Buffer.from(text, 'utf16le'), null)).toBe(text);
    expect(decodeFeed(Buffer.from(text, 'utf16le').swap16(), null)).toBe(text);
  });

  test('a declaration that says UTF-16 but is readable byte by byte is not believed', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><rss>é</rss>';
    expect(decodeFeed(Buffer.from(text, 'utf8'), null)).toBe(text);
  });

  test('unknown labels fall back to UTF-8', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="x-klingon"?><rss>é</rss>', 'utf8');
    expect(decodeFeed(bytes, 'text/xml; charset=bogus')).toBe('<?xml version="1.0" encoding="x-klingon"?><rss>é</rss>');
  });

  test('a declaration is only looked for at the start of the document', () => {
    const bytes = latin1('<rss><title><?xml version="1.0" encoding="ISO-8859-1"?></title>Caf\u00e9</rss>');
    expect(decodeFeed(bytes, null)).toContain('Caf\uFFFD');
  });
});
