// The header's language picker, kept in step with /lang and the saved choice.

import { locale, onLocaleChange, setLocale } from './i18n.js';

export function setUpLanguageSwitch(select = document.getElementById('language-select')) {
  select.value = locale();
  select.addEventListener('change', () => setLocale(select.value));
  onLocaleChange((next) => { select.value = next; });
}
