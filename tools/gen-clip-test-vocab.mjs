// Generates tests/data/clip-bpe/{vocab.json,merges.txt}: a small CLIP-format byte-level BPE
// vocabulary for testing the core's ClipTokenizer (no download of OpenAI's 49,408-token
// files). Merges are learned here, by the classic BPE procedure (Sennrich, Haddow, Birch,
// "Neural Machine Translation of Rare Words with Subword Units", ACL 2016), from the prompt
// text in the repository: the English words of models/data/vocab/vocab.json and the Chinese
// phrases, emoji and English names of models/data/vocab/zh.json.
//   node tools/gen-clip-test-vocab.mjs [merges=3000]
// Layout as CLIP's: ids 0..255 the byte symbols, 256..511 the same with "</w>", then one id
// per new merge result in merge order, then <|startoftext|> and <|endoftext|>.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mergeCount = Number(process.argv[2] ?? 3000);
const outDir = path.join(root, 'tests/data/clip-bpe');

// CLIP's byte alphabet: printable Latin-1 bytes as themselves, the rest U+0100.. in order.
const byteSymbols = [];
const printable = (b) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
for (let b = 0, next = 0x100; b < 256; b++) byteSymbols[b] = String.fromCodePoint(printable(b) ? b : next++);
const alphabet = [...Array(256).keys()].filter(printable).concat([...Array(256).keys()].filter((b) => !printable(b)))
  .map((b) => byteSymbols[b]);

// The same clean-up and split as the tokenizer (tokenizer.json's normalizer and regex).
const split = (text) => text.normalize('NFC').replace(/\s+/gu, ' ').toLowerCase()
  .match(/'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/gu) ?? [];

const words = JSON.parse(fs.readFileSync(path.join(root, 'models/data/vocab/vocab.json'), 'utf8')).words;
const zh = JSON.parse(fs.readFileSync(path.join(root, 'models/data/vocab/zh.json'), 'utf8'));
const texts = [...words.filter((w) => !w.startsWith('<')), ...Object.keys(zh), ...Object.values(zh)];

const counts = new Map();
for (const text of texts) for (const piece of split(text)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
// Each distinct piece as symbols (bytes mapped, "</w>" on the last), with its count.
const corpus = [...counts].map(([piece, count]) => {
  const symbols = [...new TextEncoder().encode(piece)].map((b) => byteSymbols[b]);
  symbols[symbols.length - 1] += '</w>';
  return { symbols, count };
});

// Pair statistics kept incrementally: pair -> count and the words containing it.
const key = (a, b) => `${a} ${b}`;
const pairCount = new Map();
const pairWords = new Map();
function addPairs(w, sign) {
  const { symbols, count } = corpus[w];
  for (let i = 0; i + 1 < symbols.length; i++) {
    const k = key(symbols[i], symbols[i + 1]);
    pairCount.set(k, (pairCount.get(k) ?? 0) + sign * count);
    if (sign > 0) (pairWords.get(k) ?? pairWords.set(k, new Set()).get(k)).add(w);
  }
}
corpus.forEach((_, w) => addPairs(w, 1));

const merges = [];
while (merges.length < mergeCount) {
  let best = null, bestCount = 1;  // a pair seen once is not worth a merge
  for (const [k, c] of pairCount) if (c > bestCount || (c === bestCount && best !== null && k < best)) { best = k; bestCount = c; }
  if (best === null) break;
  const [a, b] = best.split(' ');
  merges.push([a, b]);
  for (const w of pairWords.get(best)) {
    addPairs(w, -1);
    const s = corpus[w].symbols, merged = [];
    for (let i = 0; i < s.length; i++) {
      if (i + 1 < s.length && s[i] === a && s[i + 1] === b) { merged.push(a + b); i++; }
      else merged.push(s[i]);
    }
    corpus[w].symbols = merged;
    addPairs(w, 1);
  }
  pairCount.delete(best);
  pairWords.delete(best);
}

const vocab = {};
for (const t of [...alphabet, ...alphabet.map((s) => s + '</w>'), ...merges.map(([a, b]) => a + b)]) {
  if (!Object.hasOwn(vocab, t)) vocab[t] = Object.keys(vocab).length;
}
for (const t of ['<|startoftext|>', '<|endoftext|>']) vocab[t] = Object.keys(vocab).length;

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'vocab.json'), JSON.stringify(vocab) + '\n');
fs.writeFileSync(path.join(outDir, 'merges.txt'),
  '#version: 0.2 - learned by tools/gen-clip-test-vocab.mjs\n' + merges.map((m) => m.join(' ')).join('\n') + '\n');
console.log(`${merges.length} merges, ${Object.keys(vocab).length} tokens from ${texts.length} texts -> ${outDir}`);
