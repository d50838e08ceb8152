// Generates core/src/text/clip_unicode_table.inc: the Unicode data the CLIP tokenizer's
// text clean-up needs to behave like the tokenizer.json pipeline of Hugging Face tokenizers
// as run by transformers.js: NFC, /\s+/gu -> ' ', String.prototype.toLowerCase, then the
// CLIP split regex over \p{L} and \p{N}. Node's ICU is that reference, so everything is taken
// from it rather than written by hand:
//   node tools/gen-clip-unicode-table.mjs > core/src/text/clip_unicode_table.inc
// Node exposes no canonical combining classes, so NFC's data is derived from
// String.prototype.normalize itself (reordering tests give the classes' order, which is all
// the algorithm uses) and then checked: the script runs the same NFC algorithm on the derived
// tables and compares it with normalize('NFC') on every code point and on random mark
// sequences, and fails on any difference.
const MAX = 0x10ffff;
const isSurrogate = (c) => c >= 0xd800 && c <= 0xdfff;
const isHangul = (c) => c >= 0xac00 && c <= 0xd7a3;
const cps = (s) => [...s].map((ch) => ch.codePointAt(0));
const str = (list) => String.fromCodePoint(...list);

function ranges(test) {
  const out = [];
  for (let c = 0; c <= MAX; c++) {
    if (isSurrogate(c) || !test(String.fromCodePoint(c))) continue;
    const last = out.at(-1);
    if (last && last[1] === c - 1) last[1] = c;
    else out.push([c, c]);
  }
  return out;
}

// ---- properties used by the split regex and by toLowerCase's Final_Sigma rule ----
const letter = ranges((s) => /\p{L}/u.test(s));
const number = ranges((s) => /\p{N}/u.test(s));
const cased = ranges((s) => /\p{Cased}/u.test(s));
const caseIgnorable = ranges((s) => /\p{Case_Ignorable}/u.test(s));

// ---- lowercase: per code point, except U+03A3 whose final form depends on context ----
const lower = [];       // [cp, lowered cp]
const lowerMulti = [];  // [cp, [cps]]
for (let c = 0; c <= MAX; c++) {
  if (isSurrogate(c) || c === 0x3a3) continue;
  const l = cps(String.fromCodePoint(c).toLowerCase());
  if (l.length === 1 && l[0] === c) continue;
  if (l.length === 1) lower.push([c, l[0]]);
  else lowerMulti.push([c, l]);
}
if (lowerMulti.length > 1 || lowerMulti[0]?.[1].length !== 2) throw new Error('unexpected multi-code-point lowercase mappings');
// The context rule is the only one: check that toLowerCase of a string is the per-code-point
// map plus Final_Sigma, on sigma in its contexts.
if ('ΑΣ'.toLowerCase() !== 'ας' || 'Σ'.toLowerCase() !== 'σ' || 'ΑΣΑ'.toLowerCase() !== 'ασα') {
  throw new Error('toLowerCase does not apply Final_Sigma as expected');
}

// ---- NFC ----
const decomposition = [];  // [cp, full canonical decomposition]
for (let c = 0; c <= MAX; c++) {
  if (isSurrogate(c) || isHangul(c)) continue;
  const d = cps(String.fromCodePoint(c).normalize('NFD'));
  if (d.length !== 1 || d[0] !== c) decomposition.push([c, d]);
}
// Non-zero combining class: reorders against U+0301 (class 230) or U+0334 (class 1).
const marks = [];
for (let c = 0; c <= MAX; c++) {
  if (isSurrogate(c) || isHangul(c)) continue;
  const s = String.fromCodePoint(c);
  if (s.normalize('NFD') !== s) continue;
  const before = 'a\u0301' + s, after = 'a' + s + '\u0334';
  if (before.normalize('NFD') !== before || after.normalize('NFD') !== after) marks.push(c);
}
// swapped(x, y): NFD puts y before x, i.e. class(x) > class(y).
const swapped = (x, y) => ('a' + str([x, y])).normalize('NFD') === 'a' + str([y, x]);
marks.sort((x, y) => (swapped(x, y) ? 1 : swapped(y, x) ? -1 : 0));
const order = new Map();  // mark -> rank (1..), equal classes share a rank
let rank = 0;
marks.forEach((m, i) => {
  if (i === 0 || swapped(m, marks[i - 1])) rank++;
  else if (swapped(marks[i - 1], m)) throw new Error('inconsistent combining class order');
  order.set(m, rank);
});
// Primary composites: decompose canonically and come back under NFC. The pair is found by
// taking one code point of the decomposition as the second element (last first).
const composition = [];  // [first, second, composite]
for (const [c, d] of decomposition) {
  if (String.fromCodePoint(c).normalize('NFC') !== String.fromCodePoint(c)) continue;
  let found = false;
  for (let j = d.length - 1; j >= 0 && !found; j--) {
    const first = cps(str(d.filter((_, k) => k !== j)).normalize('NFC'));
    if (first.length === 1 && str([first[0], d[j]]).normalize('NFC') === String.fromCodePoint(c)) {
      composition.push([first[0], d[j], c]);
      found = true;
    }
  }
  if (!found) throw new Error(`no composition pair for U+${c.toString(16)}`);
}
composition.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

// The NFC algorithm exactly as core/src/text/unicode_nfc.cpp runs it, on these tables.
const decompMap = new Map(decomposition);
const composeMap = new Map(composition.map(([a, b, c]) => [`${a},${b}`, c]));
const cls = (c) => order.get(c) ?? 0;
const SBase = 0xac00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11a7, LCount = 19, VCount = 21, TCount = 28;
function nfc(input) {
  const d = [];
  for (const c of input) {
    if (isHangul(c)) {
      const s = c - SBase;
      d.push(LBase + Math.floor(s / (VCount * TCount)), VBase + Math.floor((s % (VCount * TCount)) / TCount));
      if (s % TCount) d.push(TBase + (s % TCount));
    } else d.push(...(decompMap.get(c) ?? [c]));
  }
  for (let i = 1; i < d.length; i++) {  // stable insertion sort of each run of marks
    for (let j = i; j > 0 && cls(d[j]) !== 0 && cls(d[j - 1]) > cls(d[j]); j--) [d[j - 1], d[j]] = [d[j], d[j - 1]];
  }
  const out = [];
  let starter = -1, lastClass = 0;
  for (const c of d) {
    const k = cls(c);
    if (starter >= 0 && (out.length - 1 === starter || (lastClass !== 0 && lastClass < k) )) {
      const s = out[starter];
      let composite;
      if (s >= LBase && s < LBase + LCount && c >= VBase && c < VBase + VCount && out.length - 1 === starter) {
        composite = SBase + ((s - LBase) * VCount + (c - VBase)) * TCount;
      } else if (isHangul(s) && (s - SBase) % TCount === 0 && c > TBase && c < TBase + TCount && out.length - 1 === starter) {
        composite = s + (c - TBase);
      } else composite = composeMap.get(`${s},${c}`);
      if (composite !== undefined) { out[starter] = composite; continue; }
    }
    if (k === 0) starter = out.length;
    lastClass = k;
    out.push(c);
  }
  return out;
}
function check(list) {
  const want = str(list).normalize('NFC');
  const got = str(nfc(list));
  if (got !== want) throw new Error(`NFC check failed for ${list.map((c) => c.toString(16)).join(' ')}`);
}
for (let c = 0; c <= MAX; c++) if (!isSurrogate(c)) check([c]);
let seed = 1;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const starters = [...new Set(composition.map(([a]) => a))];
const seconds = [...new Set(composition.map(([, b]) => b))];
const pool = [...marks, ...seconds, ...starters, 0x1100, 0x1161, 0x11a8, 0xac00, 0x61];
for (let i = 0; i < 200000; i++) {
  const list = [starters[rand(starters.length)]];
  for (let k = 1 + rand(4); k > 0; k--) list.push(pool[rand(pool.length)]);
  check(list);
}

// ---- output ----
const hex = (c) => `0x${c.toString(16)}`;
const rangeLines = (list) => list.map(([a, b]) => `{${hex(a)}, ${hex(b)}},`);
const decompData = [];
const decompLines = decomposition.map(([c, d]) => {
  const line = `{${hex(c)}, ${decompData.length}, ${d.length}},`;
  decompData.push(...d);
  return line;
});
const classRanges = [];
for (const [c, r] of [...order].sort((a, b) => a[0] - b[0])) {
  const last = classRanges.at(-1);
  if (last && last[1] === c - 1 && last[2] === r) last[1] = c;
  else classRanges.push([c, c, r]);
}
const out = [
  `// Generated by tools/gen-clip-unicode-table.mjs from Node ${process.version} (ICU ${process.versions.icu}, ` +
    `Unicode ${process.versions.unicode}); do not edit.`,
  '// Sorted, non-overlapping inclusive ranges / entries, searched by binary search.',
  'constexpr CodeRange kLetterRanges[] = {', ...rangeLines(letter), '};',
  'constexpr CodeRange kNumberRanges[] = {', ...rangeLines(number), '};',
  'constexpr CodeRange kCasedRanges[] = {', ...rangeLines(cased), '};',
  'constexpr CodeRange kCaseIgnorableRanges[] = {', ...rangeLines(caseIgnorable), '};',
  '// toLowerCase per code point (U+03A3 is handled by the Final_Sigma rule in code).',
  'constexpr CodeMapping kLowercase[] = {', ...lower.map(([a, b]) => `{${hex(a)}, ${hex(b)}},`), '};',
  `constexpr char32_t kLowercaseTwoFrom = ${hex(lowerMulti[0][0])};`,
  `constexpr char32_t kLowercaseTwoTo[2] = {${lowerMulti[0][1].map(hex).join(', ')}};`,
  '// Full canonical decompositions (Hangul syllables are algorithmic): {cp, offset, length}',
  '// into kDecompositionData.',
  'constexpr Decomposition kDecompositions[] = {', ...decompLines, '};',
  'constexpr char32_t kDecompositionData[] = {',
  ...Array.from({ length: Math.ceil(decompData.length / 12) },
    (_, i) => decompData.slice(i * 12, i * 12 + 12).map(hex).join(', ') + ','),
  '};',
  '// Canonical combining classes as ranks: same order and equality as the real classes',
  '// (which is all canonical ordering and composition use); absent = 0.',
  'constexpr ClassRange kCombiningClassRanks[] = {', ...classRanges.map(([a, b, r]) => `{${hex(a)}, ${hex(b)}, ${r}},`), '};',
  '// Primary composites {first, second, composite}, sorted by (first, second).',
  'constexpr Composition kCompositions[] = {', ...composition.map(([a, b, c]) => `{${hex(a)}, ${hex(b)}, ${hex(c)}},`), '};',
  '',
];
process.stdout.write(out.join('\n'));
