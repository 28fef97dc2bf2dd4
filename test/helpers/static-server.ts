// A static file server on loopback for the browser tests: serves folders under URL prefixes.
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { AddressInfo } from 'node:net'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
}

export interface StaticServer {
  url: string
  close(): Promise<void>
}

/** mounts: URL prefix (e.g. '/', '/models/') → folder. */
export async function serveStatic(mounts: Record<string, string>): Promise<StaticServer> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length)
  const server: Server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    const prefix = prefixes.find((candidate) => pathname.startsWith(candidate))
    const folder = prefix === undefined ? undefined : path.resolve(mounts[prefix])
    const file = folder === undefined ? undefined : path.resolve(folder, `.${pathname.slice(prefix!.length - 1)}`)
    if (file === undefined || !file.startsWith(folder!)) {
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
