// Starts `lstm-lrp serve --port 0` as a real process and talks HTTP to it.
import { request as httpRequest } from 'node:http'
import { startCli, type RunningCli } from './run-cli.js'

export interface RunningServer extends RunningCli {
  url: string
  /** Sends SIGTERM and resolves with how the process ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a response body the tests read field by field
  json(): any
}

/** The server ready: its "listening on http://HOST:PORT" line read from stdout. */
export async function startServer(args: string[] = []): Promise<RunningServer> {
  const running = startCli(['serve', '--port', '0', ...args])
  let stdout = ''
  const url = await new Promise<string>((resolve, reject) => {
    running.child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /^listening on (http:\/\/\S+)\n/.exec(stdout)
      if (match) resolve(match[1])
    })
    void running.exited.then(({ code }) => reject(new Error(`serve exited with ${code} before listening: ${running.stderr()}`)))
  })
  return {
    ...running,
    url,
    stop() {
      running.child.kill('SIGTERM')
      return running.exited
    },
  }
}

/** A request with its body sent as given (string or bytes), or as JSON for other values. */
export function send(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const payload = body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${url}${path}`, { method, headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) })
      })
      response.on('error', reject)
    })
    outgoing.on('error', reject)
    outgoing.end(payload)
  })
}

export const post = (url: string, path: string, body?: unknown, headers?: Record<string, string>) => send(url, 'POST', path, body, headers)
export const get = (url: string, path: string) => send(url, 'GET', path)
