// Sketch -> picture requests: `/render` (aliases `/sketch2img`, `/s2i`, `/渲染`) with an
// optional style ("/render twemoji", "/render --style 3d"), and plain language:
//   "turn my sketch into a picture", "render my drawing in twemoji style",
//   "把我的草图变成图片", "把涂鸦画成扁平风格的图".
// Pure (tested in Node, tests/node/chat-parsing.test.mjs); the bot runs the canvas through
// huabu-sketch.

import { defaultStyle, stylePhrases, styleFromWord, styleNames } from './styles.js';

export const renderCommandNames = ['render', 'sketch2img', 's2i', '渲染'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const styleAlternation = stylePhrases.map(escape).join('|');

const englishSketch = /^(?:(?:hey|hi|ok|okay)[,!]?\s+)?(?:please\s+)?(?:(?:can|could|would)\s+you\s+(?:please\s+)?)?(?:turn|make|convert|transform|render|finish|colou?r\s+in)\s+(?:my|this|the|our)\s+(?:sketch|drawing|doodle|scribble|canvas|lines?)\b(?:\s+(?:into|to|as)\s+(?:an?\s+)?(?:real\s+|proper\s+|finished\s+|colou?red\s+)?(?:picture|image|painting|illustration|emoji|icon))?/i;
const englishStyle = new RegExp(`\\b(?:in|as)\\s+(?:an?\\s+|the\\s+)?(${styleAlternation})(?:[\\s-]+style)?\\b|\\b(${styleAlternation})[\\s-]+style\\b`, 'i');
const chineseSketch = /(?:把|将)?(?:我的|我画的|这个|这张|这幅)?(?:草图|涂鸦|画布|素描|简笔画|手绘)(?:上的画)?(?:变成|转成|转换成|画成|生成|渲染成|做成)/;
const chineseStyle = new RegExp(`(${styleAlternation})(?:风格|风|样式)`, 'i');

/** `/render` arguments -> {kind: 'sketch', style} or an invalid answer naming the styles. */
export function parseRenderArgs(args) {
  const words = args.replace(/[—–]{1,2}(?=\S)/g, '--').trim().replace(/^--style[=\s]*/i, '');
  if (!words) return { kind: 'sketch', style: defaultStyle };
  const style = styleFromWord(words);
  return style
    ? { kind: 'sketch', style }
    : { kind: 'invalid', key: 'sketch.badStyle', params: { value: words, styles: styleNames.join(', ') } };
}

/** A plain-language sketch request -> {kind: 'sketch', style}, or null when it is not one. */
export function parsePlainSketch(text) {
  const english = englishSketch.exec(text);
  const chinese = english ? null : chineseSketch.exec(text);
  if (!english && !chinese) return null;
  const styled = (english ? englishStyle : chineseStyle).exec(text);
  const phrase = styled?.slice(1).find(Boolean);
  return { kind: 'sketch', style: (phrase && styleFromWord(phrase)) || defaultStyle };
}
