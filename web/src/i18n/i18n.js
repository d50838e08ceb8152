// The UI's language: English or Chinese, from the browser's languages until the person picks
// one (remembered in localStorage). t(key, params) gives a string; elements marked with
// data-i18n (text), data-i18n-label (aria-label), data-i18n-placeholder and data-i18n-title
// are updated whenever the language changes.

import en from './messages-en.js';
import zh from './messages-zh.js';

export const locales = { en, zh };
const storageKey = 'huabu.locale';
const listeners = new Set();
let current = 'en';

/** 'zh' for any Chinese in the list (zh, zh-CN, zh-Hans-...), else 'en'. Pure. */
export function pickLocale(languages) {
  for (const language of languages ?? []) {
    const tag = String(language).toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Fills {name} placeholders. Pure. */
export function format(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** The string for `key` in the current language (English if missing, the key if unknown). */
export function t(key, params) {
  return format(locales[current][key] ?? en[key] ?? key, params);
}

export function locale() {
  return current;
}

/** Starts with the saved choice or the browser's languages; translates the page. */
export function initLocale() {
  let saved = null;
  try {
    saved = localStorage.getItem(storageKey);
  } catch {
    // Storage may be blocked; the browser's language still works.
  }
  current = saved in locales ? saved : pickLocale(navigator.languages ?? [navigator.language]);
  translatePage();
}

export function setLocale(next) {
  if (!(next in locales) || next === current) return;
  current = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Not remembered, but switched for this visit.
  }
  translatePage();
  for (const listener of listeners) listener(next);
}

/** Calls `listener(locale)` after every switch. */
export function onLocaleChange(listener) {
  listeners.add(listener);
}

export function translatePage(root = document) {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
