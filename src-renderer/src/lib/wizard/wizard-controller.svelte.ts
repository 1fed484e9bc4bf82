/**
 * The wizard's live state (Svelte 5 runes): the draft, the step, the core's verdict on the draft
 * (network:validate, debounced), the address plan of a typed subnet, the review plan and the apply.
 * The rules themselves are in wizard-model.ts; this only sequences API calls and keeps the latest answer.
 */
import type { NetworkDef } from '../../../../src-main/core/model/network'
import type { Problem } from '../../../../src-main/core/model/problem'
import type { GuestnetApi, IpcError, PlanOutput, ValidateOutput } from '../api'
import { newOpId } from '../api'
import type { ApplyLog } from '../apply/apply-log'
import { emptyLog, foldProgress, rolledBackTitles } from '../apply/apply-log'
import type { InputId, StepId, WizardDraft } from './wizard-model'
import {
  applyDerivedIpv4,
  chosenIpv6Prefix,
  draftToDef,
  inputOfField,
  missingOnStep,
  stepOfField,
  steps
} from './wizard-model'

export interface WizardInit {
  mode: 'create' | 'edit'
  draft: WizardDraft
  /** Editing: the stored definition (kept fields) and whether the network is running now. */
  base?: NetworkDef
  active?: boolean
  /** The first-run wizard for the default network. */
  isDefault?: boolean
}

export type ApplyPhase =
  | { phase: 'idle' }
  | { phase: 'running'; log: ApplyLog }
  | { phase: 'done'; log: ApplyLog; name: string }
  | { phase: 'cancelled'; log: ApplyLog }
  | { phase: 'failed'; log: ApplyLog; error: IpcError; rolledBack: string[] }

export const VALIDATE_DELAY_MS = 200

export class WizardController {
  readonly mode: 'create' | 'edit'
  readonly isDefault: boolean
  readonly base: NetworkDef | undefined
  readonly wasActive: boolean
  draft: WizardDraft = $state() as WizardDraft
  stepIndex = $state(0)
  verdict: ValidateOutput = $state({ problems: [], clashes: [] })
  addressProblems: Problem[] = $state([])
  /** Problems of a step the user tried to leave with something missing. */
  shownMissing: Problem[] = $state([])
  checking = $state(false)
  plan: PlanOutput | null = $state(null)
  planError: string | null = $state(null)
  apply: ApplyPhase = $state({ phase: 'idle' })

  readonly step: StepId = $derived(steps[this.stepIndex].id)

  private validateSeq = 0
  private addressSeq = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  private readonly api: GuestnetApi

  constructor(api: GuestnetApi, init: WizardInit) {
    this.api = api
    this.mode = init.mode
    this.isDefault = init.isDefault ?? false
    this.base = init.base
    this.wasActive = init.active ?? false
    this.draft = init.draft
  }

  /** The definition the draft describes (stored fields kept when editing). */
  get def(): NetworkDef {
    return draftToDef(this.draft, this.base)
  }

  /** Listens to apply progress; returns the unsubscribe function (call it when the wizard closes). */
  listen(): () => void {
    return this.api.on.applyProgress((e) => {
      const a = this.apply
      if (a.phase !== 'idle' && e.opId === a.log.opId) this.apply = { ...a, log: foldProgress(a.log, e) } as ApplyPhase
    })
  }

  /** Every problem the core reports, plus address problems and what is missing on the steps seen so far. */
  problemsOn(step: StepId): Problem[] {
    const fromCore = this.verdict.problems.filter((p) => stepOfField(p.field, this.def) === step)
    const address = this.addressProblems.filter((p) => (p.field === 'ipv6' ? 'ipv6' : 'ipv4') === step)
    const missing = this.shownMissing.filter((p) => stepOfField(p.field, this.def) === step)
    return [...missing, ...address, ...fromCore]
  }

  /** The message to show beside one input, if any. */
  errorFor(input: InputId): string | null {
    for (const p of this.problemsOn(this.step)) {
      const at = p.field === 'ipv4' ? 'subnet' : p.field === 'ipv6' ? 'ipv6' : inputOfField(p.field, this.def)
      if (at === input) return p.fix ? `${p.message}: ${p.fix}` : p.message
    }
    return null
  }

  /** Problems of this step not tied to one input (shown at the top of the step). */
  stepLevelProblems(): Problem[] {
    return this.problemsOn(this.step).filter(
      (p) => p.field !== 'ipv4' && p.field !== 'ipv6' && inputOfField(p.field, this.def) === null
    )
  }

  canLeave(step: StepId): boolean {
    return (
      missingOnStep(step, this.draft).length === 0 &&
      this.problemsOn(step).length === 0 &&
      (step !== 'ipv4' || this.verdict.clashes.length === 0)
    )
  }

  update(patch: Partial<WizardDraft>): void {
    this.draft = { ...this.draft, ...patch }
    this.shownMissing = this.shownMissing.filter((p) =>
      missingOnStep(this.step, this.draft).some((m) => m.field === p.field)
    )
    this.scheduleValidate()
  }

  scheduleValidate(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.validate(), VALIDATE_DELAY_MS)
  }

  /** Asks the core about the draft now; only the newest answer is kept. */
  async validate(): Promise<void> {
    clearTimeout(this.timer)
    const seq = ++this.validateSeq
    this.checking = true
    const r = await this.api.network.validate({
      def: $state.snapshot(this.def),
      ...(this.mode === 'edit' ? { editing: this.draft.name } : {})
    })
    if (seq !== this.validateSeq) return
    this.checking = false
    this.verdict = r.ok
      ? r.value
      : { problems: [{ field: r.error.field ?? '', message: r.error.message }], clashes: [] }
  }

  /** The subnet was typed: the core derives gateway and DHCP range (which stay editable). */
  async setSubnet(text: string): Promise<void> {
    this.update({ subnet: text })
    const seq = ++this.addressSeq
    const r = await this.api.network.addressPlan({ ipv4: text.trim() })
    if (seq !== this.addressSeq) return
    if (!r.ok) {
      this.addressProblems = [{ field: 'ipv4', message: r.error.message }]
      return
    }
    this.addressProblems = [
      ...this.addressProblems.filter((p) => p.field !== 'ipv4'),
      ...r.value.problems.filter((p) => p.field === 'ipv4')
    ]
    if (r.value.ipv4) this.update(applyDerivedIpv4({ ...this.draft, subnet: text }, r.value.ipv4))
    else this.update({ gateway: '', prefix: 0 })
  }

  /** The IPv6 mode or own prefix changed: the core gives the bridge's address in the prefix. */
  async refreshIpv6(): Promise<void> {
    const prefix = chosenIpv6Prefix(this.draft)
    this.addressProblems = this.addressProblems.filter((p) => p.field !== 'ipv6')
    if (prefix === null) {
      this.update({ ipv6Gateway: '' })
      return
    }
    const r = await this.api.network.addressPlan({ ipv6: prefix })
    if (chosenIpv6Prefix(this.draft) !== prefix) return
    if (!r.ok) this.addressProblems = [...this.addressProblems, { field: 'ipv6', message: r.error.message }]
    else {
      this.addressProblems = [...this.addressProblems, ...r.value.problems.filter((p) => p.field === 'ipv6')]
      this.update(
        r.value.ipv6 ? { ipv6Gateway: r.value.ipv6.gateway, ipv6Prefix: r.value.ipv6.prefix } : { ipv6Gateway: '' }
      )
    }
  }

  /** Derives what the first screen needs (the start draft may carry only a subnet). */
  async start(): Promise<void> {
    if (this.draft.subnet && !this.draft.gateway) await this.setSubnet(this.draft.subnet)
    if (chosenIpv6Prefix(this.draft) !== null && !this.draft.ipv6Gateway) await this.refreshIpv6()
    await this.validate()
  }

  /** Next: only when nothing on this step is missing or wrong (checked afresh). */
  async next(): Promise<boolean> {
    const missing = missingOnStep(this.step, this.draft)
    this.shownMissing = missing
    if (missing.length > 0) return false
    await this.validate()
    if (!this.canLeave(this.step)) return false
    if (this.stepIndex < steps.length - 1) this.stepIndex += 1
    if (this.step === 'review') await this.loadPlan()
    return true
  }

  back(): void {
    if (this.stepIndex > 0 && this.apply.phase !== 'running') this.stepIndex -= 1
    this.shownMissing = []
  }

  async loadPlan(): Promise<void> {
    this.plan = null
    this.planError = null
    const r = await this.api.network.plan({ def: $state.snapshot(this.def) })
    if (r.ok) this.plan = r.value
    else this.planError = r.error.message
  }

  /** Define (and start) the network through the helper; progress arrives as events. */
  async runApply(): Promise<void> {
    if (this.apply.phase === 'running') return
    const log = emptyLog(newOpId())
    this.apply = { phase: 'running', log }
    const start = this.mode === 'create' || this.wasActive
    const r = await this.api.network.define({
      def: $state.snapshot(this.def),
      autostart: this.draft.autostart,
      start,
      opId: log.opId,
      ...(this.mode === 'edit' ? { editing: this.draft.name } : {})
    })
    const current = this.currentLog(log)
    if (r.ok) this.apply = { phase: 'done', log: current, name: r.value.name }
    else if (r.error.code === 'CANCELLED') this.apply = { phase: 'cancelled', log: current }
    else
      this.apply = {
        phase: 'failed',
        log: current,
        error: r.error,
        rolledBack: r.error.rolledBack ?? rolledBackTitles(current)
      }
  }

  /** The log as progress events have filled it while the call ran. */
  private currentLog(fallback: ApplyLog): ApplyLog {
    return this.apply.phase === 'idle' ? fallback : this.apply.log
  }

  dispose(): void {
    clearTimeout(this.timer)
  }
}
