/**
 * Asks the harness to stop its networks and take the sandbox down before Playwright ends it, so no
 * namespace or dnsmasq outlives the run (a killed harness would leave them to the next start).
 */
export default async function globalTeardown(): Promise<void> {
  const base = `http://127.0.0.1:${process.env.GUESTNET_HARNESS_PORT ?? 41741}`
  try {
    // Answers once the harness has stopped its networks and removed the sandbox.
    await fetch(`${base}/__harness/shutdown`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(120_000) })
  } catch {
    // not running (electron project only), or already gone
  }
}
