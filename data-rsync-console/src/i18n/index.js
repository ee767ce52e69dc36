import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'

const STORED = 'datarsync.language'
export const LANGUAGES = [
  { code: 'zh-CN', label: '简体中文' },
  { code: 'en', label: 'English' },
]

/** The language chosen last in this browser, else Chinese (the product's first language). */
function initialLanguage() {
  const stored = localStorage.getItem(STORED)
  return LANGUAGES.some((l) => l.code === stored) ? stored : 'zh-CN'
}

document.documentElement.lang = initialLanguage()

export const i18n = createI18n({
  legacy: false,
  locale: initialLanguage(),
  fallbackLocale: 'en',
  messages: { 'zh-CN': zhCN, en },
})

/** Switches the language at once and remembers it. */
export function useLanguage(code) {
  i18n.global.locale.value = code
  localStorage.setItem(STORED, code)
  document.documentElement.lang = code
}
