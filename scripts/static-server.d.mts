export interface StaticServer {
  url: string
  close(): Promise<void>
}

/** mounts: URL prefix (e.g. '/', '/models/') → folder. A path outside its folder is a 404. */
export function serveStatic(mounts: Record<string, string>): Promise<StaticServer>
