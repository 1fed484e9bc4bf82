/**
 * A writer for the cpio "newc" format, the one the Linux kernel unpacks as an initramfs. Entries get
 * owner root, mtime 0 and fresh inode numbers; parent directories that are not listed are added.
 */

export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Buffer | string; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number }

const S_IFDIR = 0o040000
const S_IFREG = 0o100000
const S_IFLNK = 0o120000
const S_IFCHR = 0o020000
const TRAILER = 'TRAILER!!!'

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`cpio field out of range: ${n}`)
  return n.toString(16).padStart(8, '0')
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4)
}

/** `a/b/c` (no leading slash, no `.` or `..` parts, no empty parts). */
function normalPath(path: string): string {
  const parts = path.replace(/^\/+/, '').split('/')
  if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`bad cpio path: ${JSON.stringify(path)}`)
  return parts.join('/')
}

interface Header {
  ino: number
  mode: number
  nlink: number
  size: number
  rdevMajor: number
  rdevMinor: number
  name: string
}

function record(h: Header, data: Buffer): Buffer[] {
  const name = Buffer.from(`${h.name}\0`, 'utf8')
  const fields = [h.ino, h.mode, 0, 0, h.nlink, 0, h.size, 0, 0, h.rdevMajor, h.rdevMinor, name.length, 0]
  const header = Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii')
  return [header, name, pad4(header.length + name.length), data, pad4(data.length)]
}

/** The archive for `entries`, in order (each implied parent directory first). */
export function cpioNewc(entries: readonly CpioEntry[]): Buffer {
  const chunks: Buffer[] = []
  const seen = new Set<string>()
  let ino = 1
  const push = (h: Omit<Header, 'ino'>, data: Buffer): void => {
    if (seen.has(h.name)) throw new Error(`duplicate cpio entry: ${h.name}`)
    seen.add(h.name)
    chunks.push(...record({ ...h, ino: ino++ }, data))
  }
  const parents = (path: string): void => {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!seen.has(dir))
        push({ mode: S_IFDIR | 0o755, nlink: 2, size: 0, rdevMajor: 0, rdevMinor: 0, name: dir }, Buffer.alloc(0))
    }
  }
  for (const entry of entries) {
    const name = normalPath(entry.path)
    parents(name)
    const base = { name, rdevMajor: 0, rdevMinor: 0 }
    switch (entry.kind) {
      case 'dir':
        push({ ...base, mode: S_IFDIR | (entry.mode ?? 0o755), nlink: 2, size: 0 }, Buffer.alloc(0))
        break
      case 'file': {
        const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data
        push({ ...base, mode: S_IFREG | (entry.mode ?? 0o644), nlink: 1, size: data.length }, data)
        break
      }
      case 'symlink': {
        const data = Buffer.from(entry.target, 'utf8')
        push({ ...base, mode: S_IFLNK | 0o777, nlink: 1, size: data.length }, data)
        break
      }
      case 'chardev':
        push(
          {
            ...base,
            mode: S_IFCHR | (entry.mode ?? 0o600),
            nlink: 1,
            size: 0,
            rdevMajor: entry.major,
            rdevMinor: entry.minor
          },
          Buffer.alloc(0)
        )
        break
    }
  }
  chunks.push(
    ...record({ ino: 0, mode: 0, nlink: 1, size: 0, rdevMajor: 0, rdevMinor: 0, name: TRAILER }, Buffer.alloc(0))
  )
  return Buffer.concat(chunks)
}
