/** The "Forward a port" form's pure parts: its draft, the request it sends, and which field an error names. */
import type { ChannelInput } from '../../../../src-main/contract/ipc-contract'

type AddInput = ChannelInput<'network:forward-add'>

export interface ForwardDraft {
  proto: AddInput['proto']
  /** As typed: the inputs are text until sent. */
  port: string
  toPort: string
  family: NonNullable<AddInput['family']>
}

export type FormField = 'proto' | 'port' | 'toPort' | 'family'

export const FIELD_LABEL: Record<FormField, string> = {
  proto: 'Protocol',
  port: 'Host port',
  toPort: 'Guest port',
  family: 'Address family'
}

export const emptyDraft = (): ForwardDraft => ({ proto: 'tcp', port: '', toPort: '', family: 'ipv4' })

/**
 * The form field an error's `field` names: `port` from the contract or the helper's arguments,
 * `metadata.portForwards.forward[2].toPort` from the validator; anything else: null (the whole form).
 */
export function formFieldOf(field: string | undefined): FormField | null {
  const last = field
    ?.split('.')
    .pop()
    ?.replace(/\[\d+\]$/, '')
  return last !== undefined && last in FIELD_LABEL ? (last as FormField) : null
}

const PORT = /^\d{1,5}$/

function portOf(text: string): number | null {
  const n = PORT.test(text.trim()) ? Number(text.trim()) : NaN
  return n >= 1 && n <= 65535 ? n : null
}

/**
 * The `network:forward-add` input for a draft (`to` is the guest's MAC, so the forward follows it;
 * an empty guest port is the host port), or the field that is wrong. Defaults are left out, so the
 * stored file says only what differs: `<gn:forward proto='tcp' port='8080' to='MAC'/>`.
 */
export function addRequest(
  name: string,
  mac: string,
  d: ForwardDraft
): { ok: true; input: Omit<AddInput, 'opId'> } | { ok: false; field: FormField; message: string } {
  const port = portOf(d.port)
  if (port === null) return { ok: false, field: 'port', message: 'give a port from 1 to 65535' }
  const toPort = d.toPort.trim() === '' ? port : portOf(d.toPort)
  if (toPort === null) return { ok: false, field: 'toPort', message: 'give a port from 1 to 65535, or leave it empty' }
  return {
    ok: true,
    input: {
      name,
      proto: d.proto,
      port,
      to: mac,
      ...(toPort !== port ? { toPort } : {}),
      ...(d.family !== 'ipv4' ? { family: d.family } : {})
    }
  }
}
