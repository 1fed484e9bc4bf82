/**
 * The guardian's frames (helper/guardian/, read from `<runtimeDir>/.guardian.json`) turned into what
 * the user is told: which frames are new since the last look, and the desktop notification's words.
 * Pure; no electron import.
 */
import type { GuardianFrame } from '../../contract/helper-protocol'
import { guardianFrameSchema } from '../../contract/helper-protocol'

/** The frames of the file's text; anything that is not a frame is left out. */
export function parseGuardianLog(text: string | null): GuardianFrame[] {
  if (text === null) return []
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return []
  }
  const frames = (raw as { frames?: unknown } | null)?.frames
  if (!Array.isArray(frames)) return []
  return frames.flatMap((f) => {
    const r = guardianFrameSchema.check(f, 'frame')
    return r.ok ? [r.value] : []
  })
}

/**
 * The frames after `seen` (the `at` of the newest one shown so far; null on the first look, when
 * nothing that happened before the app started is shown) and the new `seen`.
 */
export function newGuardianFrames(
  frames: readonly GuardianFrame[],
  seen: string | null
): { fresh: GuardianFrame[]; seen: string | null } {
  const newest = frames.reduce<string | null>((m, f) => (m === null || f.at > m ? f.at : m), seen)
  if (seen === null) return { fresh: [], seen: newest ?? '' }
  // A new guest's port getting its isolation flag is routine, not news.
  const news = (f: GuardianFrame): boolean =>
    f.event !== 'not-guarded' && !(f.event === 'restored' && f.what === 'ports' && f.detail.includes('joined'))
  return { fresh: frames.filter((f) => f.at > seen && news(f)), seen: newest }
}

const RESTORED: Record<GuardianFrame['what'], (network: string) => { title: string; why: string }> = {
  firewall: (n) => ({
    title: `guestnet restored the rules for ${n}`,
    why: 'nftables was restarted or its ruleset flushed'
  }),
  sysctl: (n) => ({ title: `guestnet restored forwarding for ${n}`, why: 'a kernel setting was changed back' }),
  bridge: (n) => ({ title: `guestnet made the bridge of ${n} again`, why: 'the bridge was deleted' }),
  address: (n) => ({ title: `guestnet restored the address of ${n}`, why: 'the bridge lost its address' }),
  dnsmasq: (n) => ({ title: `guestnet restarted DHCP and DNS for ${n}`, why: 'dnsmasq had stopped' }),
  ports: (n) => ({ title: `guestnet isolated the ports of ${n} again`, why: 'a port lost its isolation' }),
  zone: (n) => ({
    title: `guestnet put the bridge of ${n} back in its firewalld zone`,
    why: 'firewalld was reloaded or restarted'
  }),
  definition: (n) => ({ title: `guestnet restored ${n}`, why: 'something changed' })
}

/** Title and body of the desktop notification for one frame. */
export function guardianNotificationText(f: GuardianFrame): { title: string; body: string } {
  switch (f.event) {
    case 'restored': {
      const r = RESTORED[f.what](f.network)
      return { title: r.title, body: `${r.why} (${f.detail}); guests are connected again.` }
    }
    case 'gave-up':
      return { title: `Something keeps undoing network ${f.network}`, body: `${f.detail}.` }
    case 'failed':
      return { title: `guestnet could not restore network ${f.network}`, body: `${f.detail}.` }
    case 'not-guarded':
      return { title: `Network ${f.network} is not guarded`, body: `${f.detail}.` }
  }
}
