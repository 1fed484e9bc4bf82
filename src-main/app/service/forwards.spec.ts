import { describe, expect, it } from 'vitest'

import { forwardError } from './forwards'
import { ServiceError } from './service-error'

describe('forwardError', () => {
  it("keeps the helper's forward arguments as the form's field names, and nothing else of args.*", () => {
    const busy = forwardError({
      code: 'BAD_REQUEST',
      message: 'tcp/2222 is in use',
      field: 'args.port',
      fix: 'use another port'
    })
    expect(busy).toBeInstanceOf(ServiceError)
    expect(busy.toIpc()).toEqual({
      code: 'HELPER_FAILED',
      message: 'tcp/2222 is in use: use another port',
      field: 'port'
    })
    const name = forwardError({ code: 'NOT_FOUND', message: "no network named 'x'", field: 'args.name' })
    expect(name.toIpc()).toEqual({ code: 'NOT_FOUND', message: "no network named 'x'" })
    const invalid = forwardError({
      code: 'INVALID_DEFINITION',
      message: 'network default cannot forward tcp/53',
      field: 'metadata.portForwards.forward[0].port'
    })
    expect(invalid.toIpc().field).toBe('metadata.portForwards.forward[0].port')
    expect(forwardError({ code: 'CANCELLED', message: 'dismissed' }).toIpc()).toEqual({
      code: 'CANCELLED',
      message: 'dismissed'
    })
  })

  it("says a fix once when the helper's message already carries it (an invalid definition's problems)", () => {
    const fix = 'use another port, or remove one of the two forwards'
    const e = forwardError({
      code: 'INVALID_DEFINITION',
      message: `network default cannot forward tcp/2222: metadata.portForwards.forward[1].port: tcp/2222 is forwarded already by metadata.portForwards.forward[0] — ${fix}`,
      field: 'metadata.portForwards.forward[1].port',
      fix
    })
    expect(e.message.split(fix)).toHaveLength(2)
    expect(forwardError({ code: 'BAD_REQUEST', message: 'in use', fix }).message).toBe(`in use: ${fix}`)
  })
})
