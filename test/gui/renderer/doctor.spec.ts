/**
 * The Doctor page against the real helper's `doctor` verb, looking into the namespace sandbox: a
 * bridge libvirt would make (outside guestnet's interface group) holding the default network's
 * bridge name is found, shown with its evidence, reachable from the keyboard, and gone once fixed.
 */
import type { Locator, Page } from '@playwright/test'

import { expect, expectAccessible, test } from './fixtures'
import type { EnsureDefault } from './support'
import { card } from './support'

test.describe.configure({ mode: 'serial' })
test.skip(process.getuid?.() !== 0, 'needs root: the harness runs the helper in a sandbox of network namespaces')

test.beforeAll(async ({ harness }) => {
  await harness.call('reset')
})

/** Presses Tab until `target` has the focus (at most `max` times); the keyboard path a user takes. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  await expect(target).toBeFocused()
}

test('the doctor finds a foreign virbr0 in the sandbox; the finding is shown, keyboard reachable, and gone once removed', async ({
  page,
  harness,
  axe,
  shot
}) => {
  const made = await harness.call<EnsureDefault>('ensure-default')
  expect(made.entry?.def.bridge?.name).toBe('virbr0')
  // libvirt's own virbr0, made behind guestnet's back.
  await harness.call('host-link', { name: 'virbr0' })

  await page.goto('/')
  await expect(card(page, 'default')).toBeVisible()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Doctor' }).click()
  await expect(page.getByRole('heading', { name: 'Doctor', level: 2 })).toBeFocused()

  const title = "virbr0 exists already (libvirt's, not guestnet's): default cannot use it"
  const finding = page.getByRole('list', { name: 'Findings' }).getByRole('listitem', { name: title })
  await expect(finding).toBeVisible({ timeout: 60_000 })
  await expect(finding).toContainText('Problem')
  await expect(finding).toContainText('guestnet never touches a bridge it did not create')
  await expect(finding).toContainText('What to do: give default another bridge name')
  await expect(page.getByRole('status').filter({ hasText: /\d+ problems? found/ })).toBeVisible()
  const checks = page.getByRole('table', { name: 'Checks' })
  await expect(checks.getByRole('row', { name: /no clash with libvirt's virbr0/ })).toContainText('Problem')

  // From the page's heading, Tab reaches the finding's evidence; Enter opens it.
  const evidence = finding.locator('summary', { hasText: 'What the doctor saw' })
  await expect(finding.getByText(/^interface virbr0, kind bridge/)).toBeHidden()
  await page.getByRole('heading', { name: 'Doctor', level: 2 }).focus()
  await tabTo(page, evidence)
  await page.keyboard.press('Enter')
  await expect(finding.getByText(/^interface virbr0, kind bridge/)).toBeVisible()
  await shot('doctor-finding')
  await expectAccessible(axe, 'doctor with a finding')

  // The cause goes away; Check again (from the keyboard) runs the doctor once more.
  await harness.call('undo-host-changes')
  const again = page.getByRole('button', { name: 'Check again' })
  await again.focus()
  await page.keyboard.press('Enter')
  await expect(finding).toHaveCount(0, { timeout: 60_000 })
  await expect(checks.getByRole('row', { name: /no clash with libvirt's virbr0/ })).toContainText('OK')
})
