import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { i18n } from './i18n/index.js'
import { router } from './router.js'

createApp(App).use(createPinia()).use(i18n).use(router).use(ElementPlus).mount('#app')
