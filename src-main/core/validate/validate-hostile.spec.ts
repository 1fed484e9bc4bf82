/** Random damage to a good definition must give Problems, never an exception or unsafe text. */
import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from './validate-network'

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const JUNK: unknown[] = [
  null,
  -1,
  0,
  1e308,
  Number.NaN,
  2 ** 53,
  '',
  'x'.repeat(5000),
  '\u0000',
  'a\nb',
  '\u001b[2J',
  '"; rm -rf /',
  '..',
  '%d',
  '::',
  '0.0.0.0',
  '255.255.255.255',
  'ff02::1',
  [],
  [null],
  {},
  { toString: 'x' },
  true
]
const SPICE = [
  '\n',
  '\r',
  '\u0000',
  '\u001b',
  '\u009b',
  '\u202e',
  '"',
  ',',
  '#',
  ' ',
  '/',
  '\\',
  '\u2028',
  'é',
  '%',
  '..'
]

type Node = Record<string | number, unknown>

function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (v !== null && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) {
      const key = Array.isArray(v) ? Number(k) : k
      out.push([...at, key])
      paths(child, [...at, key], out)
    }
  }
  return out
}

describe('validateNetwork on damaged input', () => {
  it('never throws and never echoes control characters', () => {
    const next = rng(20261128)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]
    for (let round = 0; round < 1500; round++) {
      const def = JSON.parse(JSON.stringify(validDef())) as Node
      for (let hits = 1 + Math.floor(next() * 3); hits > 0; hits--) {
        const path = pick(paths(def))
        let parent: Node = def
        for (const key of path.slice(0, -1)) parent = parent[key] as Node
        const key = path[path.length - 1]
        const old = parent[key]
        if (typeof old === 'string' && next() < 0.6) {
          const at = Math.floor(next() * (old.length + 1))
          parent[key] = old.slice(0, at) + pick(SPICE) + old.slice(at)
        } else if (next() < 0.1 && !Array.isArray(parent)) {
          delete parent[key]
        } else {
          parent[key] = pick(JUNK)
        }
      }
      let problems: ReturnType<typeof validateNetwork> = []
      expect(() => (problems = validateNetwork(def as unknown as NetworkDef)), JSON.stringify(def)).not.toThrow()
      expect(Array.isArray(problems)).toBe(true)
      for (const p of problems) {
        expect(typeof p.field).toBe('string')
        expect(p.message.length).toBeGreaterThan(0)
        expect(`${p.field} ${p.message} ${p.fix ?? ''}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/)
      }
    }
  })
})
