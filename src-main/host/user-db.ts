/** /etc/passwd and /etc/group as text ('' when unreadable): who dnsmasq runs as, and what it may enter. */
import { readFileSync } from 'node:fs'

export interface UserDb {
  passwd: string
  group: string
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

export function readUserDb(): UserDb {
  return { passwd: readOr('/etc/passwd'), group: readOr('/etc/group') }
}
