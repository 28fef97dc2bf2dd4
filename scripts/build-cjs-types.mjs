// Writes dist/index.d.cts, the declarations for the CommonJS entry (dist/index.cjs): tsc's
// dist/index.d.ts and everything it reaches, bundled into one file that TypeScript reads as
// CommonJS. Run after tsc (npm run build:ts does).   node scripts/build-cjs-types.mjs [DIST]
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'
import { dts } from 'rollup-plugin-dts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'))

const bundle = await rollup({
  input: path.join(dist, 'index.d.ts'),
  // Node built-ins and the dependencies stay imports; only the package's own files are inlined.
  external: (id) => !id.startsWith('.') && !path.isAbsolute(id),
  plugins: [dts({ respectExternal: false })],
  onwarn(warning, warn) {
    if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning)
  },
})
await bundle.write({ file: path.join(dist, 'index.d.cts'), format: 'es' })
await bundle.close()
