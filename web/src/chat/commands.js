// One chat entry -> what the person asked for. Slash commands here; plain language in
// plain-request.js; /draw's options in draw-command.js. Pure (tested in Node): results carry
// i18n message keys, the bot turns them into words in the UI's language.

import { parseDrawArgs } from './draw-command.js';
import { parsePlainRequest } from './plain-request.js';
import { parseRenderArgs, renderCommandNames } from './sketch-command.js';
import { styleFromWord } from './styles.js';

export const upscaleScales = [2, 4];
export const commandNames = ['draw', 'imagine', 'render', 'restyle', 'upscale', 'model', 'help', 'lang'];

// Commands people try from other drawing bots -> the one that does it here.
const lookalikes = {
  paint: 'draw', sketch: 'draw', generate: 'draw', gen: 'draw', create: 'draw', image: 'draw', img: 'draw', dream: 'draw',
  画: 'draw', 画画: 'draw', 生成: 'draw', 绘制: 'draw',
  upscaling: 'upscale', enlarge: 'upscale', zoom: 'upscale', 放大: 'upscale',
  scribble: 'render', img2img: 'render', sketch2image: 'render', 草图: 'render',
  style: 'restyle', filter: 'restyle', stylize: 'restyle', 风格: 'restyle', 滤镜: 'restyle',
  h: 'help', '?': 'help', commands: 'help', 帮助: 'help',
  language: 'lang', 语言: 'lang',
  models: 'model', checkpoint: 'model', 模型: 'model',
};

/**
 * @returns {{kind: 'draw', request: object, given?: string[]} | {kind: 'sketch', style: string} | {kind: 'restyle', op?: string}
 *   | {kind: 'upscale', scale: number} | {kind: 'model', builtIn?: true} | {kind: 'help'}
 *   | {kind: 'lang', locale?: string} | {kind: 'invalid', key: string, params: object}
 *   | {kind: 'unknown', name: string, suggestion?: string}
 *   | {kind: 'greeting'} | {kind: 'chat'}}
 */
export function parseCommand(input) {
  const text = input.trim();
  // A full-width slash comes from Chinese keyboards.
  if (!/^[/／]/.test(text)) {
    const plain = parsePlainRequest(text);
    return plain.kind === 'draw' ? { kind: 'draw', request: plain.request } : plain;
  }
  const [, name = '', args = ''] = /^[/／](\S*)\s*([\s\S]*)$/.exec(text);
  if (renderCommandNames.includes(name.toLowerCase())) return parseRenderArgs(args);
  switch (name.toLowerCase()) {
    case 'draw':
    case 'imagine':
      return parseDrawArgs(args);
    case 'upscale':
      return parseUpscale(args);
    case 'restyle':
    case '换风格':
      return parseRestyle(args);
    case 'model':
      return parseModel(args);
    case 'help':
      return { kind: 'help' };
    case 'lang':
      return parseLang(args);
    default: {
      const suggestion = lookalikes[name.toLowerCase()];
      return { kind: 'unknown', name: `/${name}`, ...(suggestion ? { suggestion: `/${suggestion}` } : {}) };
    }
  }
}

function parseUpscale(args) {
  const words = args.split(/\s+/).filter(Boolean);
  if (words.length === 0) return { kind: 'upscale', scale: 2 };
  // Accept "2", "x2", "×2" and "2x".
  const match = /^[x×]?(\d+)[x×]?$/i.exec(words[0]);
  const scale = match ? Number(match[1]) : NaN;
  if (words.length > 1 || !upscaleScales.includes(scale)) return { kind: 'invalid', key: 'upscale.badScale', params: { value: words.join(' ') } };
  return { kind: 'upscale', scale };
}

// "/restyle oil" (a classic style) or "/restyle 3d", "/restyle 立体" (an emoji set, by any word
// styles.js knows): the bot checks the name against the core's operations and huabu-style's
// sets (and lists them when it is neither); without a name the person picks one.
function parseRestyle(args) {
  const op = args.trim().toLowerCase();
  if (!op) return { kind: 'restyle' };
  const nameLike = styleFromWord(op) || /^[a-z0-9-]{1,40}$/.test(op);
  return nameLike ? { kind: 'restyle', op } : { kind: 'invalid', key: 'restyle.badName', params: { value: args.trim() } };
}

// "/model": load a diffusers-layout model for /draw (the bot asks where it is); "/model huabu"
// (or default, 默认) goes back to the built-in huabu-tiny.
function parseModel(args) {
  const word = args.trim().toLowerCase();
  if (!word) return { kind: 'model' };
  if (['huabu', 'huabu-tiny', 'default', 'built-in', '默认', '内置'].includes(word)) return { kind: 'model', builtIn: true };
  return { kind: 'invalid', key: 'model.badArg', params: { value: args.trim() } };
}

function parseLang(args) {
  const word = args.trim().toLowerCase();
  if (!word) return { kind: 'lang' };
  if (['en', 'english', '英文', '英语'].includes(word)) return { kind: 'lang', locale: 'en' };
  if (['zh', 'chinese', '中文', '汉语', 'zh-cn'].includes(word)) return { kind: 'lang', locale: 'zh' };
  return { kind: 'invalid', key: 'lang.unknown', params: { value: args.trim() } };
}
