/**
 * Thinking models (qwen3, deepseek-r1) reason before they answer. With `think` set, Ollama sends the
 * reasoning in its own field; a server or model that ignores `think` puts it in the answer between
 * <think> tags, and a chat template that opens the tag itself leaves only the closing one. Reasoning
 * is never the answer and never shown to the user, so it is cut here, however it arrives.
 */
const TAG = '(?:think|thinking|reasoning)';
const CLOSED = new RegExp(`<${TAG}>[\\s\\S]*?</${TAG}>`, 'gi');
const ORPHAN_CLOSE = new RegExp(`^[\\s\\S]*</${TAG}>`, 'i');
const UNCLOSED = new RegExp(`<${TAG}>[\\s\\S]*$`, 'i');

/** The answer without any reasoning: closed blocks removed, text before a lone closing tag and after a lone opening one dropped. */
export function stripReasoning(text: string): string {
  return text.replace(CLOSED, '').replace(ORPHAN_CLOSE, '').replace(UNCLOSED, '').trim();
}

/**
 * The part of a streamed reply that is surely answer: as `stripReasoning`, but a trailing "<thi" that
 * may yet become a tag is held back.
 */
function visibleSoFar(text: string): string {
  const answer = text.replace(CLOSED, '').replace(ORPHAN_CLOSE, '').replace(UNCLOSED, '');
  const partialTag = /<\/?[a-z]{0,9}$/i.exec(answer);
  return (partialTag ? answer.slice(0, partialTag.index) : answer).trimStart();
}

/**
 * Wraps a token callback for a JSON answer: tokens pass once the answer (reasoning removed) starts
 * with "{", so neither reasoning nor a preamble reaches the progress stream. If what was shown stops
 * being a prefix of the answer (a closing tag arrived late), nothing more is shown for that reply.
 */
export function jsonAnswerTokens(onToken: (text: string) => void): (piece: string) => void {
  let raw = '';
  let shown = '';
  let stopped = false;
  return (piece) => {
    if (stopped) return;
    raw += piece;
    const visible = visibleSoFar(raw);
    if (!visible.startsWith('{')) {
      if (shown) stopped = true;
      return;
    }
    if (!visible.startsWith(shown)) {
      stopped = true;
      return;
    }
    const next = visible.slice(shown.length);
    if (next) onToken(next);
    shown = visible;
  };
}
