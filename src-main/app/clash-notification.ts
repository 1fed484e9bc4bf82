/**
 * The desktop notification for a new clash: both sides named, and where the network can move.
 * Clicking it opens the window, whose banner has the one-click renumber (notification action
 * buttons are not available on every Linux desktop, so the click is the one thing relied on).
 */
import { Notification } from 'electron'

import type { ClashView } from './service/clash-board'
import { clashNotificationText } from './service/clash-board'

export function showClashNotification(c: ClashView, onClick: () => void): void {
  if (!Notification.isSupported()) return
  const n = new Notification({ ...clashNotificationText(c), urgency: 'normal' })
  n.on('click', onClick)
  n.show()
}
