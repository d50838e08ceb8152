// Which words of a prompt huabu-tiny knows. The model reads at most 16 words from a fixed
// vocabulary (English words; Chinese is mapped onto them by zh.json), so a prompt of unknown
// words is drawn from nothing: better to say so than to draw noise. Uses the model's own
// tokenizer (models/data/vocab/tokenizer.mjs) and its files as the manifest lists them.

import { Tokenizer, UNK } from '../../../models/data/vocab/tokenizer.mjs';

// Words that carry no picture: a prompt of only these (and unknown words) has nothing to draw.
const fillers = new Set(['a', 'an', 'the', 'in', 'on', 'of', 'with', 'and', 'some', 'one', 'to', 'at', 'for', 'me', 'please']);

/**
 * Pure: the words of `prompt` the model knows and does not know; `drawable` is false when no
 * known word names anything (only fillers like "a", "the"). Unknown Chinese characters count.
 */
export function promptWords(tokenizer, prompt) {
  const known = [];
  const unknown = [];
  for (const word of tokenizer.toWords(prompt)) (tokenizer.id(word) === UNK ? unknown : known).push(word);
  // toWords skips Chinese characters zh.json does not know; name them too.
  for (const run of prompt.match(/\p{Script=Han}+/gu) ?? []) {
    if (tokenizer.toWords(run).length === 0) unknown.push(run);
  }
  return { known, unknown, drawable: known.some((w) => !fillers.has(w)) };
}

/** Builds the tokenizer from vocab.json's `words` and zh.json. */
export function tokenizerFrom(vocab, zh) {
  return new Tokenizer(vocab.words, zh);
}

let loading = null;
/** The huabu-tiny tokenizer, fetched once (the service worker keeps the files offline). */
export function loadTokenizer(base = '/models/huabu-tiny/') {
  loading ??= Promise.all(['tokenizer/vocab.json', 'tokenizer/zh.json'].map(async (path) => {
    const response = await fetch(new URL(path, new URL(base, location.href)));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  })).then(([vocab, zh]) => tokenizerFrom(vocab, zh)).catch((err) => {
    loading = null; // try again next time
    throw err;
  });
  return loading;
}
