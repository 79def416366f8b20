import { describe, expect, it } from 'vitest';
import { jsonAnswerTokens, stripReasoning } from './reasoning.ts';

describe('stripReasoning', () => {
  it.each([
    ['{"a":1}', '{"a":1}'],
    ['<think>plan {x}</think>\n{"a":1}', '{"a":1}'],
    ['<THINK>a</THINK><think>b</think> answer', 'answer'],
    ['<thinking>hmm</thinking>{"a":1}', '{"a":1}'],
    // The template opened the tag: only the close arrives.
    ['I should look at {the email} first.</think>\n{"a":1}', '{"a":1}'],
    // Cut off while still reasoning: no answer at all.
    ['<think>still going {', ''],
    ['{"a":1}<think>afterthought', '{"a":1}'],
    ['<think>only reasoning</think>', ''],
  ])('%j -> %j', (text, answer) => {
    expect(stripReasoning(text)).toBe(answer);
  });
});

describe('jsonAnswerTokens', () => {
  const run = (pieces: string[]) => {
    const out: string[] = [];
    const push = jsonAnswerTokens((t) => out.push(t));
    for (const piece of pieces) push(piece);
    return out.join('');
  };

  it('passes a plain JSON answer through whole', () => {
    expect(run(['{"a"', ':1', '}'])).toBe('{"a":1}');
  });

  it('holds back reasoning in tags, even when a tag is split across pieces', () => {
    expect(run(['<th', 'ink>secret {', 'plan}</thi', 'nk>\n{"a"', ':1}'])).toBe('{"a":1}');
  });

  it('shows nothing of reasoning whose opening tag never came', () => {
    expect(run(['I think {maybe', '} we should</think>', '{"a":1}'])).toBe('{"a":1}');
  });

  it('shows nothing of a preamble that is not JSON', () => {
    expect(run(['Here is ', 'the brief: {"a":1}'])).toBe('');
  });
});
