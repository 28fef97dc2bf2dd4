// Vite build of the demo: `npx vite build examples/browser`. Inside this repository 'lstm-lrp'
// is aliased to the built browser entry; an installed package resolves it through "exports".
import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

export default defineConfig({
  resolve: { alias: { 'lstm-lrp': fileURLToPath(new URL('../../dist/browser.js', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('../../build/browser-demo', import.meta.url)), emptyOutDir: true, target: 'es2022' },
})
