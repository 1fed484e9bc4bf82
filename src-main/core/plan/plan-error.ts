/**
 * Thrown by `buildPlan` when a definition cannot be turned into commands. `validateNetwork` should
 * have refused such a definition already; the error names the field and the fix all the same.
 */
export class PlanError extends Error {
  constructor(
    readonly field: string,
    /** What is wrong, without the field. */
    readonly reason: string,
    readonly fix?: string
  ) {
    super(`${field}: ${reason}${fix ? `: ${fix}` : ''}`)
    this.name = 'PlanError'
  }
}
