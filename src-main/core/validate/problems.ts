/** Collects Problems while the validator walks a definition. */
import type { Problem } from '../model/problem'

export class Problems {
  readonly list: Problem[] = []

  add(field: string, message: string, fix?: string): void {
    this.list.push(fix === undefined ? { field, message } : { field, message, fix })
  }
}
