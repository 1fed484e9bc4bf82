/**
 * The desktop notification for what the guardian of the warm service did to a running network
 * ("nftables was restarted; guestnet restored the rules for default"), as clash-notification.ts
 * does it: the words from service/guardian-news.ts, a click opens the window.
 */
import { Notification } from 'electron'

import type { GuardianFrame } from '../contract/helper-protocol'
import { guardianNotificationText } from './service/guardian-news'

export function showGuardianNotification(f: GuardianFrame, onClick: () => void): void {
  if (!Notification.isSupported()) return
  const n = new Notification({
    ...guardianNotificationText(f),
    urgency: f.event === 'restored' ? 'low' : 'normal'
  })
  n.on('click', onClick)
  n.show()
}
