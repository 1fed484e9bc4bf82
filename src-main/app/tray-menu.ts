/** The tray's menu, as data: each network's state with quick start/stop, "Open guestnet" and "Quit". */
import type { MenuItemConstructorOptions } from 'electron'

import type { ChannelOutput } from '../contract/ipc-contract'

type Summary = ChannelOutput<'network:list'>[number]

export interface TrayActions {
  list(): Promise<Summary[]>
  start(name: string): Promise<void>
  stop(name: string): Promise<void>
  open(): void
  quit(): void
}

const word: Record<Summary['status'], string> = { active: 'active', inactive: 'inactive', broken: 'broken' }

export function trayMenu(networks: Summary[], a: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [{ label: 'Open guestnet', click: () => a.open() }, { type: 'separator' }]
  if (networks.length === 0) items.push({ label: 'No networks', enabled: false })
  for (const n of networks) {
    items.push({
      label: `${n.name}: ${word[n.status]}${n.status === 'active' ? ` (${n.guests} guest${n.guests === 1 ? '' : 's'})` : ''}`,
      submenu: [
        { label: `Start ${n.name}`, enabled: n.status === 'inactive', click: () => void a.start(n.name) },
        { label: `Stop ${n.name}`, enabled: n.status === 'active', click: () => void a.stop(n.name) }
      ]
    })
  }
  items.push({ type: 'separator' }, { label: 'Quit guestnet', click: () => a.quit() })
  return items
}
