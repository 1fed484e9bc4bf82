/**
 * End to end through the real handlers and the real helper, inside the namespace sandbox: the
 * tests run in order on one sandbox (the first one is the first run, with no network yet).
 */
import type { Page } from '@playwright/test'

import { expect, expectAccessible, test } from './fixtures'

interface IpAddr {
  ifname: string
  addr_info: { family: string; local: string; prefixlen: number; scope: string }[]
}

/** The first four groups of an IPv6 address, zero-padded (`fd12:3::` → `fd12:0003:0000:0000`). */
function first64(address: string): string {
  const [head, tail = ''] = address.split('::')
  const h = head ? head.split(':') : []
  const t = address.includes('::') && tail ? tail.split(':') : []
  const groups = address.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h
  return groups
    .slice(0, 4)
    .map((g) => g.padStart(4, '0'))
    .join(':')
}

const next = (page: Page) => page.getByRole('button', { name: 'Next' })
const stepHeading = (page: Page, n: number) => page.getByRole('heading', { name: new RegExp(`^Step ${n} of 5`) })
const card = (page: Page, name: string) => page.getByRole('listitem', { name })

test.describe.configure({ mode: 'serial' })
test.skip(process.getuid?.() !== 0, 'needs root: the harness runs the helper in a sandbox of network namespaces')

test.beforeAll(async ({ harness }) => {
  await harness.call('reset')
})

test('first run: the wizard creates the default network, step by step', async ({ page, axe, shot }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Set up the default network' })).toBeVisible()
  await expect(page.getByRole('radio', { name: /Share my internet connection \(NAT\)/ })).toBeChecked()
  await expect(page.getByLabel('Name')).toHaveValue('default')
  await expect(page.getByLabel('Bridge')).toHaveValue('virbr0')
  await shot('wizard-1-purpose')
  await expectAccessible(axe, 'wizard step 1')

  // Keyboard: Enter in a field submits the step.
  await page.getByLabel('Bridge').focus()
  await page.keyboard.press('Enter')
  await expect(stepHeading(page, 2)).toBeFocused()
  await expect(page.getByLabel('IPv4 range')).toHaveValue('192.168.122.0/24')
  await expect(page.getByLabel('First address')).toHaveValue('192.168.122.2')
  await expect(page.getByLabel('Last address')).toHaveValue('192.168.122.254')
  await expect(page.getByText("No clash with this computer's networks.")).toBeVisible()
  await shot('wizard-2-ipv4')
  await expectAccessible(axe, 'wizard step 2')

  await next(page).click()
  await expect(stepHeading(page, 3)).toBeVisible()
  await expect(page.getByRole('radio', { name: /Private prefix/ })).toBeChecked()
  await expect(page.getByText(/This computer's private prefix for this network: fd[0-9a-f:]+::\/64/)).toBeVisible()
  await expect(page.getByText(/inbound connections from outside are blocked/i)).toBeVisible()
  await shot('wizard-3-ipv6')
  await expectAccessible(axe, 'wizard step 3')
  // This run starts without IPv6; a later test turns it on and checks SLAAC.
  await page.getByRole('radio', { name: /^Off/ }).check()

  await next(page).click()
  await expect(stepHeading(page, 4)).toBeVisible()
  await expect(page.getByRole('checkbox', { name: 'Start this network when the computer starts' })).toBeChecked()
  await page.getByLabel('DNS domain (optional)').fill('guests.internal')
  await shot('wizard-4-dns')
  await expectAccessible(axe, 'wizard step 4')

  await next(page).click()
  await expect(stepHeading(page, 5)).toBeVisible()
  await expect(page.getByText('Load firewall table inet guestnet_default')).toBeVisible()
  await expect(page.getByText(/Create bridge virbr0/)).toBeVisible()
  await page.getByText('Firewall ruleset (nftables)').click()
  await expect(page.getByText(/table inet guestnet_default/).first()).toBeVisible()
  await shot('wizard-5-review')
  await expectAccessible(axe, 'wizard step 5')

  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.getByText('Done: network default is running.')).toBeVisible({ timeout: 60_000 })
  const progress = page.getByRole('list', { name: 'Progress' })
  await expect(progress.getByRole('listitem').first()).toContainText('done')
  await expect(progress).not.toContainText('failed')
  await shot('wizard-6-applied')

  await page.getByRole('button', { name: 'Go to networks' }).click()
  const d = card(page, 'default')
  await expect(d).toContainText('Active')
  await expect(d).toContainText('virbr0')
  await expect(d).toContainText('192.168.122.1/24')
  await expect(d.getByRole('checkbox', { name: /Start at boot/ })).toBeChecked()
  await shot('dashboard')
  await expectAccessible(axe, 'dashboard')
})

test('a guest namespace gets a lease and the Guests view shows it live', async ({ page, harness, shot, axe }) => {
  await page.goto('/')
  await page.getByRole('button', { name: 'Guests of default' }).click()
  await expect(page.getByRole('heading', { name: 'Guests on default' })).toBeVisible()
  await expect(page.getByText('No guest has an address yet.', { exact: false })).toBeVisible()
  const guest = await harness.call<{ ipv4: string }>('guest-add', { name: 'g1', network: 'default' })
  const ip = guest.ipv4.split('/')[0]
  expect(ip).toMatch(/^192\.168\.122\./)
  const row = page
    .getByRole('table', { name: 'Guests' })
    .getByRole('row', { name: new RegExp(`${ip.replace(/\./g, '\\.')}.* g1`) })
  await expect(row).toBeVisible()
  await shot('guests')
  await expectAccessible(axe, 'guests view')
  await page.getByRole('button', { name: 'Back to networks' }).click()
  await expect(card(page, 'default')).toContainText('1 guest')

  await page.getByRole('button', { name: 'Connect a VM to default' }).click()
  await expect(page.getByText('-netdev bridge,br=virbr0,id=n0 -device virtio-net-pci,netdev=n0')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Copy QEMU snippet' })).toBeVisible()
  await shot('connect-vm')
  await expectAccessible(axe, 'connect a VM')

  // The system's dark theme is followed, and stays readable.
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.getByRole('button', { name: 'Back to networks' }).click()
  await expect(card(page, 'default')).toBeVisible()
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(23, 24, 27)')
  await shot('dashboard-dark')
  await expectAccessible(axe, 'dashboard (dark)')
})

test('turning IPv6 on gives a guest a SLAAC address from the private prefix', async ({ page, harness }) => {
  const before = await harness.call<IpAddr[]>('guest-addresses', { name: 'g1' })
  const global6 = (a: IpAddr[]) =>
    a.flatMap((i) => i.addr_info).filter((x) => x.family === 'inet6' && x.scope === 'global')
  expect(global6(before)).toEqual([])

  await page.goto('/')
  await page.getByRole('button', { name: 'Edit default' }).click()
  await expect(page.getByRole('heading', { name: 'Edit network default' })).toBeVisible()
  await next(page).click()
  await expect(stepHeading(page, 2)).toBeVisible()
  await next(page).click()
  await page.getByRole('radio', { name: /Private prefix/ }).check()
  const prefixText = await page.getByText(/This computer's private prefix for this network:/).textContent()
  const prefix = /(fd[0-9a-f:]+::)\/64/.exec(prefixText ?? '')?.[1]
  expect(prefix).toBeTruthy()
  await expect(page.getByText(/This computer will be fd[0-9a-f:]+::1 on the network/)).toBeVisible()
  await next(page).click()
  await next(page).click()
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('Done: network default is running.')).toBeVisible({ timeout: 60_000 })

  // The restarted bridge is a new interface: attach a fresh guest to it.
  await harness.call('guest-del', { name: 'g1' })
  const g2 = await harness.call<{ ipv6?: string }>('guest-add', { name: 'g2', network: 'default' })
  const v6 = global6(await harness.call<IpAddr[]>('guest-addresses', { name: 'g2' }))
  // The /64 shown in the wizard holds the guest's address: the same first four groups.
  expect(v6.map((a) => `${first64(a.local)}/${a.prefixlen}`)).toEqual([`${first64(prefix ?? '')}/64`])
  expect(g2.ipv6).toBe(v6[0].local)
})

test('a range that clashes with a host route is refused, naming the route', async ({ page, harness, shot }) => {
  await harness.call('host-route', { dst: '10.99.0.0/16', dev: 'uplink0', table: '51820' })
  await page.goto('/')
  await page.getByRole('button', { name: 'New network' }).click()
  await expect(page.getByRole('heading', { name: 'New network' })).toBeVisible()
  await expect(page.getByLabel('Bridge')).toHaveValue('virbr1')
  await next(page).click()
  await page.getByLabel('IPv4 range').fill('10.99.5.0/24')
  await expect(page.getByText('10.99.5.0/24 overlaps 10.99.0.0/16 on uplink0 (table 51820)')).toBeVisible()
  await expect(page.getByLabel('First address')).toHaveValue('10.99.5.2')
  await next(page).click()
  await expect(stepHeading(page, 2)).toBeVisible()
  await expect(page.getByLabel('IPv4 range')).toHaveAttribute('aria-invalid', 'true')
  await shot('wizard-clash')
  await page.getByLabel('IPv4 range').fill('10.98.5.0/24')
  await expect(page.getByText("No clash with this computer's networks.")).toBeVisible()
  await next(page).click()
  await expect(stepHeading(page, 3)).toBeVisible()
})

test('a failing apply shows the error and what was rolled back', async ({ page, harness, shot }) => {
  await harness.call('fault', { fault: 'fail:dnsmasq' })
  try {
    await page.goto('/')
    await page.getByRole('button', { name: 'New network' }).click()
    await expect(page.getByLabel('Name')).toHaveValue('network1')
    for (let step = 2; step <= 5; step++) {
      await next(page).click()
      await expect(stepHeading(page, step)).toBeVisible()
    }
    await page.getByRole('button', { name: 'Apply' }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'It did not work' })
    await expect(alert).toBeVisible({ timeout: 60_000 })
    await expect(alert).toContainText('fault injected at step dnsmasq')
    const undone = alert.getByRole('listitem')
    await expect(undone.filter({ hasText: 'Create bridge virbr1' })).toHaveCount(1)
    await expect(undone.filter({ hasText: 'Load firewall table inet guestnet_network1' })).toHaveCount(1)
    await expect(page.getByRole('list', { name: 'Progress' })).toContainText('rolled back')
    await shot('wizard-apply-failed')
  } finally {
    await harness.call('fault', { fault: null })
  }
  expect(await harness.call<string[]>('host-links')).not.toContain('virbr1')
  await page.getByRole('button', { name: 'Cancel' }).click()
  // One transaction: the failed apply took its new definition back too.
  await expect(card(page, 'network1')).toHaveCount(0)
})

test('a bridge name the host already uses stops the start before anything changes', async ({ page, harness }) => {
  await harness.call('host-link', { name: 'virbr5' })
  await page.goto('/')
  await page.getByRole('button', { name: 'New network' }).click()
  for (let step = 2; step <= 5; step++) await next(page).click()
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page.getByText('Done: network network1 is running.')).toBeVisible({ timeout: 60_000 })
  await page.getByRole('button', { name: 'Go to networks' }).click()
  await page.getByRole('button', { name: 'Delete network1' }).click()
  const dialog = page.getByRole('alertdialog', { name: 'Delete network network1?' })
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await expect(page.getByText('Network network1 was deleted.')).toBeVisible({ timeout: 60_000 })
  await expect(card(page, 'network1')).toHaveCount(0)

  await page.getByRole('button', { name: 'New network' }).click()
  await page.getByLabel('Bridge').fill('virbr5')
  for (let step = 2; step <= 5; step++) await next(page).click()
  await page.getByRole('button', { name: 'Apply' }).click()
  const alert = page.getByRole('alert').filter({ hasText: 'It did not work' })
  await expect(alert).toContainText('bridge virbr5 already exists', { timeout: 60_000 })
  await expect(alert).toContainText('Nothing had been changed yet.')
})
