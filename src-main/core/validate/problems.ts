/** Collects Problems while the validator walks a definition; keeps at most MAX_PROBLEMS of them. */
import type { Problem } from '../model/problem'
import { moreProblems } from '../model/problem'

/** Past this many, problems are only counted, so hostile input cannot make millions of them. */
export const MAX_PROBLEMS = 100

export class Problems {
  readonly list: Problem[] = []
  /** Problems past MAX_PROBLEMS, counted but not kept. */
  dropped = 0

  add(field: string, message: string, fix?: string): void {
    if (this.list.length >= MAX_PROBLEMS) {
      this.dropped++
      return
    }
    this.list.push(fix === undefined ? { field, message } : { field, message, fix })
  }

  get any(): boolean {
    return this.list.length > 0
  }

  /** The kept problems, and "and N more" when some were dropped. */
  result(): Problem[] {
    return this.dropped > 0 ? [...this.list, moreProblems('(definition)', this.dropped)] : this.list
  }
}
