import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The build lands in the jar's static/ folder; the gateway serves it at /. File names under
// assets/ carry a content hash, so the gateway lets browsers keep them for a year.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2048,
    rollupOptions: {
      output: {
        // The libraries change less often than the console: a separate, long-cached chunk.
        manualChunks: {
          vendor: ['vue', 'vue-router', 'pinia', 'vue-i18n'],
          'element-plus': ['element-plus', '@element-plus/icons-vue'],
          echarts: ['echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers'],
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: 'https://127.0.0.1:8080', secure: false } },
  },
})
