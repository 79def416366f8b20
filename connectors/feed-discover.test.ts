import { describe, expect, it } from 'vitest';
import { feedLinks } from './feed-discover.ts';

describe('the feeds a web page names', () => {
  it('finds the alternate feed links of any format, absolute, comments last, and nothing else', () => {
    const page = `<!DOCTYPE html><html><HEAD>
      <base href="https://cdn.example/site/">
      <link rel="alternate" type="application/rss+xml" title="Comments Feed" href="/comments/feed">
      <LINK REL="Alternate" TYPE="application/atom+xml; charset=utf-8" HREF="atom.xml?a=1&amp;b=2">
      <link rel="alternate" type="text/html" hreflang="de" href="/de/">
      <link rel="alternate stylesheet" type="text/css" href="/alt.css">
      <link rel="alternate" type="application/feed+json" href="javascript:alert(1)">
      <link rel="alternate" type="application/feed+json" href="https://blog.example/feed.json">
      <link rel="alternate" type="application/rss+xml" href="atom.xml?a=1&b=2">
      </HEAD><body><a rel="alternate" type="application/rss+xml" href="/not-a-link-tag">x</a></body></html>`;
    expect(feedLinks(page, 'https://blog.example/')).toEqual([
      'https://cdn.example/site/atom.xml?a=1&b=2',
      'https://blog.example/feed.json',
      'https://cdn.example/comments/feed',
    ]);
  });

  it('gives nothing for a page without feed links, or for text that is not HTML', () => {
    expect(feedLinks('<p>Hello</p>', 'https://x.example/')).toEqual([]);
    expect(feedLinks('just words < and > signs', 'https://x.example/')).toEqual([]);
  });
});
