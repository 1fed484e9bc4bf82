/**
 * First run versus a deliberately deleted default network, through the real handlers and helper in
 * the namespace sandbox: deleting the default leaves an empty state that says so (never the
 * first-run wizard, even after the app starts again), and Restore brings it back with its UUID.
 */
import { expect, expectAccessible, test } from './fixtures'
import type { EnsureDefault, WithApi } from './support'
import { card } from './support'

test.describe.configure({ mode: 'serial' })
test.skip(process.getuid?.() !== 0, 'needs root: the harness runs the helper in a sandbox of network namespaces')

test.beforeAll(async ({ harness }) => {
  await harness.call('reset')
})

test('a deleted default network stays deleted: an empty state, not the wizard; Restore brings it back', async ({
  page,
  harness,
  axe,
  shot
}) => {
  const made = await harness.call<EnsureDefault>('ensure-default')
  expect(made.action).toBe('created')
  const uuid = made.entry?.def.uuid
  expect(uuid).toMatch(/^[0-9a-f-]{36}$/)

  await page.goto('/')
  await expect(card(page, 'default')).toContainText('Inactive')
  await page.getByRole('button', { name: 'Delete default' }).click()
  const dialog = page.getByRole('alertdialog', { name: 'Delete network default?' })
  await expect(dialog).toContainText('It stays deleted until you choose "Restore default network".')
  await dialog.getByRole('button', { name: 'Delete' }).click()
  await expect(page.getByText('Network default was deleted.')).toBeVisible({ timeout: 60_000 })
  const empty = page.getByRole('region', { name: 'The default network was deleted' })
  await expect(empty).toContainText('You deleted the default network on purpose')

  // The contract carries the store's record.
  const state = await page.evaluate(() => (window as unknown as WithApi).guestnet.network.defaultState())
  expect(state).toEqual({ ok: true, value: { exists: false, created: true, defaultDeleted: true, deletedUuid: uuid } })

  // The app starts again with no network at all: still the empty state, never the first-run wizard.
  await page.reload()
  await expect(empty).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Set up the default network' })).toHaveCount(0)
  await expect(card(page, 'default')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Restore default network' })).toHaveCount(1)
  await shot('dashboard-default-deleted')
  await expectAccessible(axe, 'empty state after deleting the default')

  await empty.getByRole('button', { name: 'Create a network' }).click()
  await expect(page.getByRole('heading', { name: 'New network' })).toBeVisible()
  await expect(page.getByLabel('Name')).toHaveValue('network1')
  await page.getByRole('button', { name: 'Cancel' }).click()

  await empty.getByRole('button', { name: 'Restore default network' }).click()
  await expect(page.getByText('The default network is back.')).toBeVisible({ timeout: 60_000 })
  await expect(card(page, 'default')).toContainText('Inactive')
  await expect(empty).toHaveCount(0)
  const list = await page.evaluate(() => (window as unknown as WithApi).guestnet.network.list())
  expect(list.ok && list.value.map((n) => [n.name, n.uuid])).toEqual([['default', uuid]])

  await page.reload()
  await expect(card(page, 'default')).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Set up the default network' })).toHaveCount(0)
})
