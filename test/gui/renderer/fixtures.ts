/**
 * Playwright fixtures for the renderer project: the page gets `window.guestnet` from the harness
 * shim before any script runs; `harness` drives the sandbox (guests, host routes, faults); `axe`
 * scans the page; `shot` saves a named screenshot under test-results/screenshots.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

import type { Page } from '@playwright/test'
import { expect, test as base } from '@playwright/test'

import type { ApiManifest } from '../../../src-main/contract/api'
import { installGuestnetShim } from '../harness/shim'

export interface Harness {
  call<T = unknown>(action: string, body?: Record<string, unknown>): Promise<T>
}

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

export const screenshotDir = join(__dirname, '../../../test-results/screenshots')

export const test = base.extend<{
  harness: Harness
  axe: () => Promise<AxeViolation[]>
  shot: (name: string) => Promise<void>
}>({
  page: async ({ page, baseURL }, use) => {
    const manifest = (await (await fetch(`${baseURL}/__guestnet/manifest`)).json()) as ApiManifest
    await page.addInitScript(installGuestnetShim, manifest)
    await use(page)
  },
  harness: async ({ baseURL }, use) => {
    await use({
      call: async <T>(action: string, body: Record<string, unknown> = {}): Promise<T> => {
        const r = await fetch(`${baseURL}/__harness/${action}`, { method: 'POST', body: JSON.stringify(body) })
        const j = (await r.json()) as { ok: boolean; value?: T; error?: { message: string } }
        if (!j.ok) throw new Error(`harness ${action}: ${j.error?.message}`)
        return j.value as T
      }
    })
  },
  axe: async ({ page }, use) => {
    await use(() => scan(page))
  },
  shot: async ({ page }, use) => {
    mkdirSync(screenshotDir, { recursive: true })
    await use(async (name) => {
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
    })
  }
})

/** axe-core, served by the harness from the same origin (the page's CSP allows only 'self' scripts). */
async function scan(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ url: '/__harness/axe.min.js' })
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target }))
    }))
  })
}

/** No serious or critical accessibility violation (the message lists them). */
export async function expectAccessible(axe: () => Promise<AxeViolation[]>, where: string): Promise<void> {
  const bad = (await axe()).filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on ${where}`
  ).toEqual([])
}

export { expect }
