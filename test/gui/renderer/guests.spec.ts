/**
 * The guests view against the real main-process handlers and the real helper in the namespace
 * sandbox: a guest namespace's lease shows up live with its addresses, the picture of the network
 * names uplink, host, bridge and guest, "Keep this address" turns the lease into a reservation in
 * the stored file (live: the guest keeps its address), a port forwarded from the guest's row reaches
 * it from the sandbox's internet until it is deleted, and the page stays accessible.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { SBX_ADDR } from '../../../src-main/sandbox/sandbox-config'
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

test('a port forwarded from the guest row reaches the guest from the internet, shows in the picture, and is deleted', async ({
  page,
  harness,
  axe,
  shot
}) => {
  // The guest g1 of the test above, with its reservation; it serves "SSH" (an echo server) on port 22.
  const host4 = SBX_ADDR.host4.split('/')[0]
  const inet4 = SBX_ADDR.inet4.split('/')[0]
  const send = (port: number): Promise<{ replies?: string[]; error?: string }> =>
    harness.call('inet-send', { proto: 'tcp', host: host4, port })
  await harness.call('guest-serve', { name: 'g1', proto: 'tcp', port: 22 })
  expect(await send(2222)).toMatchObject({ error: expect.any(String) })

  await page.goto('/')
  await page.getByRole('button', { name: 'Guests of default' }).click()
  const row = page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: /g1/ })
  const picture = page.getByRole('group', { name: /Picture of network default/ })
  await expect(row).toBeVisible()
  const mac = ((await row.getByRole('cell').first().textContent()) ?? '').trim()
  expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)

  await row.getByRole('button', { name: 'Forward a port to g1' }).click()
  const form = page.getByRole('form', { name: 'Forward a port to g1' })
  await expect(form.getByLabel('Protocol')).toBeFocused()
  await form.getByLabel('Host port').fill('2222')
  await form.getByLabel('Guest port').fill('22')
  await expectAccessible(axe, 'guests view with the forward form open')
  await form.getByRole('button', { name: 'Forward' }).click()
  await expect(page.getByText(/network default forwards tcp\/2222 \(live/)).toBeVisible()
  await expect(form).toHaveCount(0)
  const list = page.getByRole('list', { name: 'Port forwards to g1' })
  await expect(list.getByRole('listitem')).toHaveText([/tcp 2222 → 22\s+active/])
  await expect(picture.getByRole('img', { name: /^Guest g1 .*; forwards: tcp 2222 → 22$/ })).toBeVisible()
  const stored = await readFile(join(root, 'etc', 'guestnet', 'networks', 'default.xml'), 'utf8')
  expect(stored).toContain(`<gn:forward proto='tcp' port='2222' to='${mac}' toPort='22'/>`)
  // Through the forward, from the internet: the echo server sees the internet's own address.
  expect(await send(2222)).toEqual({ replies: [`${inet4} one`] })
  await row.getByRole('button', { name: 'Copy SSH command for g1' }).click()
  await expect(
    page.getByText(new RegExp(`^Cop(ied|y this): ssh -p 2222 user@${host4.replace(/\./g, '\\.')}$`))
  ).toBeVisible()

  // The same port again: the helper refuses, the form says which field and keeps what was typed.
  await row.getByRole('button', { name: 'Forward a port to g1' }).click()
  await form.getByLabel('Protocol').selectOption('tcp')
  await form.getByLabel('Host port').fill('2222')
  await form.getByLabel('Guest port').fill('2200')
  await form.getByRole('button', { name: 'Forward' }).click()
  await expect(form.getByRole('alert')).toContainText(/^Host port: .*tcp\/2222 is forwarded already/)
  await expect(form.getByLabel('Host port')).toHaveAttribute('aria-invalid', 'true')
  await expect(form.getByLabel('Host port')).toHaveValue('2222')
  await expect(form.getByLabel('Guest port')).toHaveValue('2200')
  await expect(form.getByLabel('IPv4')).toBeChecked()
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await shot('guests-forward-refused')
  await expectAccessible(axe, 'guests view with a refused forward')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot('guests-forward-refused-dark')
  await expectAccessible(axe, 'guests view with a refused forward (dark)')
  await page.emulateMedia({ colorScheme: 'light' })
  await form.getByRole('button', { name: 'Cancel' }).click()
  await expect(row.getByRole('button', { name: 'Forward a port to g1' })).toBeFocused()

  await list.getByRole('button', { name: 'Delete forward tcp 2222 → 22 to g1' }).click()
  await expect(page.getByText(/network default no longer forwards tcp\/2222/)).toBeVisible()
  await expect(list).toHaveCount(0)
  await expect(picture.getByRole('img', { name: /^Guest g1 / })).not.toHaveAccessibleName(/forwards/)
  expect(await readFile(join(root, 'etc', 'guestnet', 'networks', 'default.xml'), 'utf8')).not.toContain('gn:forward ')
  expect(await send(2222)).toMatchObject({ error: expect.any(String) })
})
