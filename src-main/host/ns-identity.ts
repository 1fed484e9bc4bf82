/** A namespace file's identity (`dev:ino`), the same for every path to the same namespace; null if unreadable. */
import { statSync } from 'node:fs'

export function nsIdentity(path: string): string | null {
  try {
    const st = statSync(path)
    return `${st.dev}:${st.ino}`
  } catch {
    return null
  }
}

/** The network namespace this process runs in. */
export const ownNetnsIdentity = (): string | null => nsIdentity('/proc/self/ns/net')
