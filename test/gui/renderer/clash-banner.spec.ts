/**
 * The clash banner through the real host watcher (`ip monitor` in the sandbox host) and the real
 * helper's live renumber: a VPN-like route over the default network's range names the interface
 * and route; one click moves the running network to a free range and the banner goes away.
 */
import { expect, expectAccessible, test } from './fixtures'
import type { WithApi } from './support'
import { card } from './support'

test.describe.configure({ mode: 'serial' })
test.skip(process.getuid?.() !== 0, 'needs root: the harness runs the helper in a sandbox of network namespaces')

test.beforeAll(async ({ harness }) => {
  await harness.call('reset')
})

/** `10.20.30.0/24` → `10.20.30.1/24`: the gateway address a guestnet network's bridge carries. */
function gatewayOf(subnet: string): string {
  const [base, prefix] = subnet.split('/')
  const n = base.split('.').reduce((acc, p) => acc * 256 + Number(p), 0) + 1
  return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')}/${prefix}`
}

test('a clashing host route shows the banner naming it; one click renumbers the running network and the banner goes', async ({
  page,
  harness,
  axe,
  shot
}) => {
  await harness.call('ensure-default', { start: true })
  await page.goto('/')
  const d = card(page, 'default')
  await expect(d).toContainText('Active', { timeout: 30_000 })
  await expect(d).toContainText('192.168.122.1/24')
  const banner = page.getByRole('region', { name: 'Address clashes' })
  await expect(banner).toHaveCount(0)

  // A VPN comes up and routes all of 192.168.0.0/16 through uplink0, in a table of its own.
  await harness.call('host-route', { dst: '192.168.0.0/16', dev: 'uplink0', table: '51820' })
  const alert = banner.getByRole('alert')
  await expect(alert).toContainText(
    'Network default (192.168.122.0/24) overlaps 192.168.0.0/16 on uplink0 (table 51820)',
    { timeout: 30_000 }
  )
  await expect(alert).toContainText('Guests on virbr0 may lose')
  const move = banner.getByRole('button', { name: /^Move default to / })
  const to = /^Move default to (\d+\.\d+\.\d+\.\d+\/\d+)$/.exec((await move.textContent()) ?? '')?.[1] ?? ''
  expect(to).not.toBe('')
  expect(to, 'a range outside the VPN route').not.toMatch(/^192\.168\./)
  await shot('clash-banner')
  await expectAccessible(axe, 'clash banner')

  await move.click()
  await expect(banner.getByRole('status')).toContainText(
    `Moved network default from 192.168.122.0/24 to ${to} while running`,
    { timeout: 60_000 }
  )
  await expect(alert).toHaveCount(0)
  const gateway = gatewayOf(to)
  await expect(d).toContainText(gateway)
  await expect(d).toContainText('Active')
  // The bridge itself moved, in the sandbox host.
  const addrs = await harness.call<string[]>('host-addresses', { dev: 'virbr0' })
  expect(addrs).toContain(gateway)
  expect(addrs).not.toContain('192.168.122.1/24')

  await banner.getByRole('button', { name: 'Dismiss' }).click()
  await expect(banner).toHaveCount(0)
  // The watcher agrees: no clash is left, also for a page that opens afresh.
  const clashes = await page.evaluate(() => (window as unknown as WithApi).guestnet.host.clashes())
  expect(clashes).toEqual({ ok: true, value: [] })
  await page.reload()
  await expect(card(page, 'default')).toContainText(gateway)
  await expect(banner).toHaveCount(0)
})
