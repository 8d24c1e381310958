// Issue 15's rule, held: no function in src/ runs over ~80 lines (a long one mixes concerns; split it
// into named steps). `node scripts/long-functions.mjs` lists them.
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs script, without types
import { longFunctions } from '../../scripts/long-functions.mjs'

describe('function length', () => {
  it('no function in src/ is longer than 80 lines', () => {
    expect(longFunctions(80)).toEqual([])
  })

  it('the count finds a long function when there is one', () => {
    // The same walk with a lower limit must find the longest functions: the rule can fail.
    const found = longFunctions(40) as [number, string, string][]
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]![0]).toBeGreaterThan(40)
  })
})
