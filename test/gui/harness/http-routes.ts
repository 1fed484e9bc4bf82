/** The harness's HTTP surface: the built renderer as static files, the contract over POST, events as SSE. */
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ico': 'image/x-icon'
}

export async function readBody(req: IncomingMessage, limit = 2 * 1024 * 1024): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? JSON.parse(text) : {}
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(value))
}

/** Serves `dir` (the built renderer); `/` is index.html. Paths outside `dir` are refused. */
export async function serveStatic(
  dir: string,
  urlPath: string,
  res: ServerResponse,
  extraFiles: Record<string, string> = {}
): Promise<void> {
  const path = urlPath === '/' ? '/index.html' : decodeURIComponent(urlPath)
  const file = extraFiles[path] ?? normalize(join(dir, path))
  if (!extraFiles[path] && !file.startsWith(`${normalize(dir)}/`)) {
    res.writeHead(403).end()
    return
  }
  try {
    const body = await readFile(file)
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store'
    })
    res.end(body)
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`)
  }
}

/** Server-Sent Events to every connected page. */
export class EventHub {
  private readonly clients = new Set<ServerResponse>()

  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
    res.write(': connected\n\n')
    this.clients.add(res)
    res.on('close', () => this.clients.delete(res))
  }

  send(event: string, payload: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const c of this.clients) c.write(frame)
  }

  close(): void {
    for (const c of this.clients) c.end()
    this.clients.clear()
  }
}
