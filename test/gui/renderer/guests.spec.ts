/**
 * The guests view against the real main-process handlers and the real helper in the namespace
 * sandbox: a guest namespace's lease shows up live with its addresses, the picture of the network
 * names uplink, host, bridge and guest, "Keep this address" turns the lease into a reservation in
 * the stored file (live: the guest keeps its address), and the page stays accessible.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { expect, expectAccessible, test } from './fixtures'

test.describe.configure({ mode: 'serial' })
test.skip(process.getuid?.() !== 0, 'needs root: the harness runs the helper in a sandbox of network namespaces')

let root = ''
test.beforeAll(async ({ harness }) => {
  root = (await harness.call<{ root: string }>('reset')).root
  await harness.call('ensure-default', { start: true })
})

test('a guest appears live with its picture node; Keep this address makes its lease a reservation', async ({
  page,
  harness,
  axe,
  shot
}) => {
  await page.goto('/')
  await page.getByRole('button', { name: 'Guests of default' }).click()
  await expect(page.getByRole('heading', { name: 'Guests on default' })).toBeVisible()
  const picture = page.getByRole('group', { name: /Picture of network default/ })
  await expect(picture.getByRole('img', { name: /^Bridge virbr0, 0 guests/ })).toBeVisible()
  await expect(
    picture.getByRole('img', { name: /^This computer, network default: 192\.168\.122\.1\/24/ })
  ).toBeVisible()
  await expect(picture.getByRole('img', { name: /^Uplink / }).first()).toBeVisible()

  const guest = await harness.call<{ ipv4: string }>('guest-add', { name: 'g1', network: 'default' })
  const ip = guest.ipv4.split('/')[0]
  const ipRe = ip.replace(/\./g, '\\.')
  // No refresh button: the row comes from the leases:changed event.
  await expect(page.getByRole('button', { name: 'Refresh' })).toHaveCount(0)
  const row = page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: new RegExp(`${ipRe}.*g1`) })
  await expect(row).toBeVisible()
  await expect(row).toContainText(/expires in \d+ (min|h)/)
  await expect(picture.getByRole('img', { name: new RegExp(`^Guest g1 \\(.*\\): ${ipRe}`) })).toBeVisible()
  await expect(picture.getByRole('img', { name: /^Bridge virbr0, 1 guest$/ })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Network default in words' })).toContainText(`Guest g1`)
  // IPv6 addresses come from the bridge's neighbour table (read by the helper in the sandbox): the
  // guest's link-local one is there once it has talked to the host, announced by `ip monitor neigh`
  // (sooner than the view's 15 s fallback re-read).
  const linkLocal = /fe80::[0-9a-f:]+ link-local/
  await expect(row).toContainText(linkLocal, { timeout: 12_000 })
  await shot('guests-picture')
  await expectAccessible(axe, 'guests view with a guest')

  await row.getByRole('button', { name: 'Keep this address for g1' }).click()
  await expect(page.getByText(`${ip} is now kept for g1.`)).toBeVisible()
  await expect(page.getByRole('table', { name: 'Static reservations' })).toContainText(ip)
  await expect(row.getByRole('button', { name: /Keep this address/ })).toHaveCount(0)
  await expect(row).toContainText('kept')
  const stored = await readFile(join(root, 'etc', 'guestnet', 'networks', 'default.xml'), 'utf8')
  expect(stored).toMatch(new RegExp(`<host mac='[0-9a-f:]+' name='g1' ip='${ipRe}'/>`))
  expect(await readFile(join(root, 'run', 'guestnet', 'default', 'hostsfile'), 'utf8')).toContain(`,${ip},g1`)

  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(picture).toBeVisible()
  await shot('guests-picture-dark')
  await expectAccessible(axe, 'guests view (dark)')
})
