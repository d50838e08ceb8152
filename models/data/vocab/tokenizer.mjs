// Huabu's prompt tokenizer (reference implementation; huabu_tokenizer.py is the same for trainers).
// English: NFKD, strip accents, lowercase, split on anything not [a-z0-9].
// Chinese (any run of code points >= U+2E80: Han, CJK punctuation, full-width forms, emoji):
// longest-match segmentation over zh.json, whose entries map a phrase onto English words, so
// Chinese prompts land on the same English vocabulary and GloVe vectors.
export const PAD = 0, UNK = 1;
const CJK_START = 0x2e80;

export const normalize = (text) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

export const englishWords = (text) =>
  normalize(text).replace(/['\u2019]s\b/g, '').replace(/['\u2019]/g, '').split(/[^a-z0-9]+/).filter(Boolean);

export class Tokenizer {
  /** words: vocabulary (index = id, words[0..1] = <pad>, <unk>); zh: { phrase: "english words" } */
  constructor(words, zh) {
    this.words = words;
    this.ids = new Map(words.map((w, i) => [w, i]));
    this.zh = new Map(Object.entries(zh).map(([k, v]) => [normalize(k), v]));
    this.maxKey = Math.max(...[...this.zh.keys()].map((k) => [...k].length));
  }

  /** text -> English words (Chinese segments replaced by their English words) */
  toWords(text) {
    const out = [];
    let latin = '';
    const cps = [...normalize(text)];
    for (let i = 0; i < cps.length;) {
      if (cps[i].codePointAt(0) < CJK_START) { latin += cps[i++]; continue; }
      out.push(...englishWords(latin)); latin = ' ';
      let L = Math.min(this.maxKey, cps.length - i);
      for (; L > 0; L--) {
        const en = this.zh.get(cps.slice(i, i + L).join(''));
        if (en !== undefined) { out.push(...englishWords(en)); break; }
      }
      i += Math.max(L, 1); // an unknown character is skipped
    }
    out.push(...englishWords(latin));
    return out;
  }

  /** word -> id, trying simple plural stems before <unk> */
  id(w) {
    for (const c of [w, w.replace(/ies$/, 'y'), w.replace(/es$/, ''), w.replace(/s$/, '')]) {
      if (this.ids.has(c)) return this.ids.get(c);
    }
    return UNK;
  }

  encode(text, maxLen = 16) {
    const ids = this.toWords(text).map((w) => this.id(w)).slice(0, maxLen);
    while (ids.length < maxLen) ids.push(PAD);
    return ids;
  }
}
