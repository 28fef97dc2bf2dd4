// The demo with Vite: `npx vite examples/browser` serves it, `npx vite build examples/browser` builds it.
// Inside this repository 'lstm-lrp' and 'lstm-lrp/default-model' are aliased to the built files; an
// installed package resolves them through its "exports".
import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const built = (file) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^lstm-lrp$/, replacement: built('browser.js') },
      { find: /^lstm-lrp\/default-model$/, replacement: built('model/default-model-url.js') },
    ],
  },
  build: { outDir: fileURLToPath(new URL('../../build/browser-demo', import.meta.url)), emptyOutDir: true, target: 'es2022' },
})
