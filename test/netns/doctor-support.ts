/**
 * Shared by the doctor's namespace tests: run `guestnet doctor --json` in the host namespace, read
 * the firewall state there (counters left out, so traffic does not count as a change), and ask
 * whether a guest gets through. Everything runs inside the test's own namespaces.
 */
import { expect } from 'vitest'

import type { DoctorReport } from '../../src-main/doctor/model'
import type { GuestnetRun } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import type { World } from './support/world'
import { INET4, INET_TCP_PORT } from './support/world'

export interface DoctorRun {
  run: GuestnetRun
  report: DoctorReport
}

/** `guestnet doctor --json [args]` in the world's host namespace. */
export async function doctor(world: World, args: readonly string[] = []): Promise<DoctorRun> {
  const run = await world.guestnet(['doctor', '--json', ...args])
  let report: DoctorReport
  try {
    report = JSON.parse(run.stdout) as DoctorReport
  } catch {
    throw new Error(`${run.command} exited ${run.code} without a JSON report:\n${run.stderr}${run.stdout}`)
  }
  return { run, report }
}

export function findingIds(r: DoctorReport): string[] {
  return r.findings.map((f) => f.id)
}

export function finding(r: DoctorReport, id: string): DoctorReport['findings'][number] {
  const f = r.findings.find((x) => x.id === id)
  if (!f) throw new Error(`no finding ${id}; found ${findingIds(r).join(', ') || 'nothing'}`)
  return f
}

/** Runs a fix (or undo) and checks that every action worked. */
export async function expectAction(world: World, flag: '--fix' | '--undo', selector: string): Promise<DoctorReport> {
  const { run, report } = await doctor(world, [flag, selector])
  expect(report.actions.length, run.stdout).toBeGreaterThan(0)
  expect(
    report.actions.filter((a) => !a.ok),
    JSON.stringify(report.actions)
  ).toEqual([])
  expect(run.code).toBe(0)
  return report
}

/** A command inside the host namespace (`ip netns exec HOST …`). */
export async function inHost(world: World, argv: readonly string[]): Promise<string> {
  return (await world.x.inNs(world.host, argv)).stdout
}

/** The whole nftables ruleset of the host namespace, counters blanked out. */
export async function nftRuleset(world: World): Promise<string> {
  return (await inHost(world, ['nft', 'list', 'ruleset'])).replace(/counter packets \d+ bytes \d+/g, 'counter')
}

export async function sysctl(world: World, key: string): Promise<string> {
  return (await inHost(world, ['cat', `/proc/sys/${key.replace(/\./g, '/')}`])).trim()
}

export async function setSysctl(world: World, key: string, value: string): Promise<void> {
  await inHost(world, ['sh', '-c', `echo ${value} > /proc/sys/${key.replace(/\./g, '/')}`])
}

/** One TCP connection from the guest to the internet namespace's listener. */
export async function reachesInternet(guest: Guest): Promise<boolean> {
  return (await guest.probe(INET4, INET_TCP_PORT, 1500)).result === 'connected'
}
