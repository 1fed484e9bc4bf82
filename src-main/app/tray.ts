/** The tray icon: each network's state with quick start/stop, "Open guestnet" and "Quit". */
import { Menu, Tray } from 'electron'

import type { TrayActions } from './tray-menu'
import { trayMenu } from './tray-menu'

export class GuestnetTray {
  private readonly tray: Tray
  private readonly actions: TrayActions

  constructor(icon: string, actions: TrayActions) {
    this.actions = actions
    this.tray = new Tray(icon)
    this.tray.setToolTip('guestnet')
    this.tray.on('click', () => actions.open())
  }

  async refresh(): Promise<void> {
    const networks = await this.actions.list().catch(() => [])
    const active = networks.filter((n) => n.status === 'active').length
    this.tray.setToolTip(`guestnet: ${active} of ${networks.length} network${networks.length === 1 ? '' : 's'} active`)
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenu(networks, this.actions)))
  }

  destroy(): void {
    this.tray.destroy()
  }
}
