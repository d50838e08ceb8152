// Plain-language requests in English and Chinese -> the same normal form as /draw.
//   "can you draw me a red fox"   -> {prompt: 'a red fox'} (count, style, steps: defaults)
//   "draw three cats in the rain" -> {prompt: 'cat in the rain', count: 3}
//   "画三只猫"                     -> {prompt: '猫', count: 3}
//   "帮我画一个红色的苹果"          -> {prompt: '红色的苹果'}
// Pure: tested in Node (tests/node/chat-parsing.test.mjs).

import { normaliseRequest } from './draw-request.js';
import { parsePlainSketch } from './sketch-command.js';
import { stylePhrases, styleFromWord } from './styles.js';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const styleAlternation = stylePhrases.map(escape).join('|');

// ---- English -----------------------------------------------------------------------------

const englishNumbers = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, couple: 2, pair: 2, few: 3 };
const englishPolite = /^(?:(?:hey|hi|hello|ok|okay)[,!]?\s+)?(?:huabu[,:]?\s+)?(?:please\s+)?(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|i(?:'d| would)\s+like\s+(?:you\s+to\s+)?|i\s+want\s+(?:you\s+to\s+)?|let's\s+)?/i;
const englishVerb = /^(?:draw|paint|sketch|imagine|generate|create|render|illustrate|doodle|make\s+(?:me|us)|show\s+me)\b\s*/i;
const englishMe = /^(?:me|us)\b\s*/i;
const englishCount = new RegExp(`^(?:a\\s+(couple|pair|few)\\s+of|(\\d+)|(${Object.keys(englishNumbers).join('|')}))\\b\\s*`, 'i');
const englishMedium = /^(?:(?:a|an|the|some)\s+)?(?:pictures?|images?|drawings?|paintings?|sketches|sketch|illustrations?|emojis?|icons?)\s+(?:of\s+)?/i;
// "in twemoji style", "as an outline", "3d-style" (a bare "flat" is an adjective: "a flat tire").
const englishStyle = new RegExp(`,?\\s*(?:\\b(?:in|as)\\s+(?:an?\\s+|the\\s+)?(${styleAlternation})(?:[\\s-]+style)?|\\b(${styleAlternation})[\\s-]+style)\\b`, 'i');

/** "cats" -> "cat", "foxes" -> "fox", "puppies" -> "puppy"; leaves "glass", "bus" alone. */
export function singular(word) {
  if (/[^aeiou]ies$/i.test(word)) return word.slice(0, -3) + 'y';
  if (/(x|ch|sh|ss|z)es$/i.test(word)) return word.slice(0, -2);
  if (/[^su]s$/i.test(word) && word.length > 3) return word.slice(0, -1);
  return { mice: 'mouse', geese: 'goose', people: 'person', children: 'child', sheep: 'sheep', fish: 'fish' }[word.toLowerCase()] ?? word;
}

function takeStyle(text, pattern) {
  const match = pattern.exec(text);
  if (!match) return { text, style: undefined };
  const phrase = match.slice(1).find(Boolean);
  const rest = (text.slice(0, match.index) + ' ' + text.slice(match.index + match[0].length)).replace(/\s+/g, ' ').trim();
  return { text: rest, style: styleFromWord(phrase) };
}

function parseEnglish(input) {
  let text = input.trim().replace(/[\s.!?]*(?:,?\s*(?:please|thanks|thank you))?[\s.!?]*$/i, '');
  text = text.replace(englishPolite, '');
  const verb = englishVerb.exec(text);
  const medium = englishMedium.exec(text);
  if (!verb && !medium) return null;
  if (verb) text = text.slice(verb[0].length).replace(englishMe, '');

  let count;
  const counted = englishCount.exec(text);
  if (counted) {
    count = counted[2] ? Number(counted[2]) : englishNumbers[(counted[1] ?? counted[3]).toLowerCase()];
    text = text.slice(counted[0].length);
  }
  const mediumAfterCount = englishMedium.exec(text);
  if (mediumAfterCount) text = text.slice(mediumAfterCount[0].length);
  else if (count > 1) text = text.replace(/^\S+/, (word) => singular(word)); // "three cats" -> three images of "cat"

  const { text: prompt, style } = takeStyle(text, englishStyle);
  return { prompt, count, style };
}

// ---- Chinese -----------------------------------------------------------------------------

const chineseDigits = { 一: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 几: 3 };
const measureWords = '只个張张幅条朵头匹辆棵座把杯颗位件块片本架艘支根碗份盆双对群';
const chinesePolite = /^(?:你好[，,！!]?)?(?:请你?|麻烦你?|劳驾)?(?:你)?(?:能不能|能否|可不可以|可以|能|会|帮忙)?(?:帮我|给我|为我|替我|帮忙)?/;
const chineseVerb = /^(?:画|绘制|绘|生成|做|来|创作|设计)(?:一下|一画|个)?/;
const chineseCount = new RegExp(`^(\\d+|[${Object.keys(chineseDigits).join('')}])([${measureWords}])`);
const chinesePicture = /^(?:我?(?:想要|想|要|需要))?(?:一|几|[两三四五六七八九十]|\d+)?(?:[张幅个])?(.+?)的(?:图片|图画|图|画|照片|插画|表情)$/;
const chineseStyle = new RegExp(`[，,]?(?:用|以|要)?(${styleAlternation})(?:风格|风|样式)的?`, 'i');

function parseChinese(input) {
  let text = input.trim().replace(/[。！!？?～~\s]+$/, '').replace(/(?:吧|好吗|好不好|可以吗|行吗|行不行|吗|呢|呀|啊|哦|谢谢|谢谢你)$/, '').trim();
  text = text.replace(/[。！!？?，,\s]+$/, '');
  const styled = takeStyle(text, chineseStyle);
  text = styled.text;

  const picture = chinesePicture.exec(text);
  const afterPolite = text.replace(chinesePolite, '');
  const verb = chineseVerb.exec(afterPolite);
  if (!verb && !picture) return null;

  let count;
  if (verb) {
    text = afterPolite.slice(verb[0].length);
    const counted = chineseCount.exec(text);
    if (counted) {
      const n = /\d/.test(counted[1]) ? Number(counted[1]) : chineseDigits[counted[1]];
      if (n !== 1) count = n; // 一只猫 is "a cat": the default, not a request for exactly one
      text = text.slice(counted[0].length);
    }
  } else {
    text = picture[1];
  }
  return { prompt: text.replace(/^[，,：:\s]+|[，,\s]+$/g, ''), count, style: styled.style };
}

// ---- both --------------------------------------------------------------------------------

const greetings = /^(?:hi|hello|hey|yo|good (?:morning|afternoon|evening)|thanks|thank you|你好|您好|嗨|哈喽|谢谢|早上好|晚上好)[\s!.,！。~～]*$/i;
const helpPhrases = /^(?:help|what can you do\??|how does this work\??|帮助|帮忙|你能做什么[？?]?|你会什么[？?]?|怎么用[？?]?)$/i;
const hasHan = /\p{Script=Han}/u;

/**
 * Reads a plain-language chat entry.
 * @returns {{kind: 'draw', request: object, language: 'en'|'zh'} | {kind: 'sketch', style: string}
 *   | {kind: 'invalid', key: string, params: object}
 *   | {kind: 'greeting'} | {kind: 'help'} | {kind: 'chat'}}  ('chat': not a request)
 */
export function parsePlainRequest(input) {
  const text = input.trim();
  if (greetings.test(text)) return { kind: 'greeting' };
  if (helpPhrases.test(text)) return { kind: 'help' };
  const sketch = parsePlainSketch(text); // before drawing: "render my sketch" is not a prompt
  if (sketch) return sketch;
  const language = hasHan.test(text) ? 'zh' : 'en';
  const parsed = language === 'zh' ? parseChinese(text) ?? parseEnglish(text) : parseEnglish(text);
  if (!parsed) return { kind: 'chat' };
  const options = { style: parsed.style };
  if (parsed.count !== undefined) {
    if (parsed.count > 8 || parsed.count < 1) return { kind: 'invalid', key: 'draw.badNumber', params: { name: 'count', value: String(parsed.count), min: 1, max: 8 } };
    options.count = parsed.count;
  }
  const normal = normaliseRequest({ prompt: parsed.prompt, ...options });
  return normal.ok ? { kind: 'draw', request: normal.value, language } : { kind: 'invalid', key: normal.key, params: normal.params };
}
