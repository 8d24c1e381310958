// @vitest-environment happy-dom
import { join } from 'node:path'
import { act, cleanup, render, screen } from '@testing-library/react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { openEngine, settle } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { installBridge } from '../helpers/ui'

describe('the progress header', () => {
  const tmp = tempDir('ferry-ui-header-')
  let engine: Engine
  beforeAll(async () => {
    engine = await openEngine(join(tmp.path, 'data'))
    installBridge(engine)
  })
  afterAll(async () => {
    cleanup()
    await engine?.close()
    tmp.remove()
  })

  it('shows the queue as the engine reports it, live, and pauses and resumes it', async () => {
    const { ProgressHeader } = await import('../../src/renderer/src/components/ProgressHeader')
    render(<ProgressHeader />)
    expect(await screen.findByText('0/0 tasks')).toBeTruthy()
    const b = await engine.api.invoke('queue.enqueue', { mode: 'echo', count: 40 })
    await settle(engine, b.batchId)
    expect(await screen.findByText('40/40 tasks', undefined, { timeout: 3000 })).toBeTruthy()
    expect(screen.getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')).toBe(
      '100',
    )
    await act(async () => screen.getByRole('button', { name: 'Pause the queue' }).click())
    expect(await screen.findByRole('button', { name: 'Resume the queue' })).toBeTruthy()
    expect(screen.getByText('Paused')).toBeTruthy()
    await act(async () => screen.getByRole('button', { name: 'Resume the queue' }).click())
    expect(await screen.findByRole('button', { name: 'Pause the queue' })).toBeTruthy()
  })
})
