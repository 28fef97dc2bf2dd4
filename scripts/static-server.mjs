// A static file server on loopback, for the browser tests, the documentation's browser examples and
// the tarball's Vite app: serves folders under URL prefixes. Plain JavaScript, so scripts that run
// without a TypeScript loader (scripts/tarball/vite-app.mjs) can import it too; types in static-server.d.mts.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import path from 'node:path'

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
}

/** mounts: URL prefix (e.g. '/', '/models/') → folder. A path outside its folder is a 404. */
export async function serveStatic(mounts) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length)
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    const prefix = prefixes.find((candidate) => pathname.startsWith(candidate))
    const folder = prefix === undefined ? undefined : path.resolve(mounts[prefix])
    const file = folder === undefined ? undefined : path.resolve(folder, `.${pathname.slice(prefix.length - 1)}`)
    if (file === undefined || !file.startsWith(folder)) {
      response.writeHead(404).end()
      return
    }
    try {
      const served = pathname.endsWith('/') ? path.join(file, 'index.html') : file
      const body = await readFile(served)
      response.writeHead(200, { 'content-type': TYPES[path.extname(served)] ?? 'application/octet-stream' }).end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
