import * as Dialog from '@radix-ui/react-dialog'
import { useEffect, useState } from 'react'
import type { Preset } from '../../../../shared/presets'
import { ErrorText } from '../../components/ErrorText'
import { presetActions } from '../../store/presets'

type Step =
  | { kind: 'checking' }
  /** Sync profiles use it: the engine will not delete it, whatever the user says. */
  | { kind: 'profiles'; names: string[] }
  | { kind: 'confirm' }
  /** Queued tasks use it: the engine deletes it only when forced (they keep their settings). */
  | { kind: 'queued'; message: string }
  | { kind: 'error'; message: string }

const quoted = (names: string[]) => names.map((n) => `“${n}”`).join(', ')

/**
 * Deleting a custom preset, with what the engine allows: not while a sync profile uses it (the
 * dialog names the profiles), and only "anyway" while queued tasks do.
 */
export function DeletePresetDialog({ preset, onClose }: { preset: Preset | null; onClose(): void }) {
  return (
    <Dialog.Root open={preset !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        {/* Overlay and content in one child: Radix gives each child of Portal its own portal, and a
            child mounted with the dialog's content would land above the overlay only by chance. */}
        {preset && <DeleteContent key={preset.name} preset={preset} onClose={onClose} />}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function DeleteContent({ preset, onClose }: { preset: Preset; onClose(): void }) {
  const name = preset.name
  const { step, busy, remove } = useDeleteSteps(name, onClose)
  const blocked = step.kind === 'profiles'
  return (
    <>
      <Dialog.Overlay className="dialog-overlay" />
      <Dialog.Content className="dialog presets-narrow" aria-describedby="delete-preset-text">
        <Dialog.Title asChild>
          <h2>{blocked ? `“${name}” cannot be deleted` : `Delete the preset “${name}”?`}</h2>
        </Dialog.Title>
        <div id="delete-preset-text">
          <StepText step={step} />
        </div>
        <div className="dialog-actions">
          <Dialog.Close asChild>
            <button type="button" className="button">
              {blocked || step.kind === 'error' ? 'Close' : 'Cancel'}
            </button>
          </Dialog.Close>
          {step.kind === 'confirm' && (
            <button
              type="button"
              className="button presets-danger"
              disabled={busy}
              onClick={() => void remove(false)}
            >
              Delete
            </button>
          )}
          {step.kind === 'queued' && (
            <button
              type="button"
              className="button presets-danger"
              disabled={busy}
              onClick={() => void remove(true)}
            >
              Delete anyway
            </button>
          )}
        </div>
      </Dialog.Content>
    </>
  )
}

/** Where the deletion stands: first what uses the preset, then the engine's answer to deleting it. */
function useDeleteSteps(name: string, onClose: () => void) {
  const [step, setStep] = useState<Step>({ kind: 'checking' })
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let live = true
    presetActions.usedBy(name).then(
      (names) => live && setStep(names.length ? { kind: 'profiles', names } : { kind: 'confirm' }),
      // Profiles could not be listed: the engine still checks them when asked to delete.
      () => live && setStep({ kind: 'confirm' }),
    )
    return () => {
      live = false
    }
  }, [name])

  async function remove(force: boolean) {
    setBusy(true)
    try {
      const r = await presetActions.remove(name, force)
      if ('queued' in r) setStep({ kind: 'queued', message: r.queued })
      else onClose()
    } catch (err) {
      setStep({ kind: 'error', message: (err as Error).message })
    } finally {
      setBusy(false)
    }
  }

  return { step, busy, remove }
}

/** What the dialog says at each step. */
function StepText({ step }: { step: Step }) {
  return (
    <>
      {step.kind === 'checking' && <p className="muted">Checking what uses this preset…</p>}
      {step.kind === 'profiles' && <UsedByProfiles names={step.names} />}
      {step.kind === 'confirm' && (
        <p>It is removed for good. Files already converted with it stay as they are.</p>
      )}
      {step.kind === 'queued' && (
        <>
          <ErrorText>{step.message}</ErrorText>
          <p className="muted">
            Deleting it anyway is safe: those tasks still convert with the settings they were queued with.
          </p>
        </>
      )}
      {step.kind === 'error' && <ErrorText>{step.message}</ErrorText>}
    </>
  )
}

/** Why the preset cannot go: the sync profiles that use it, and what to do first. */
function UsedByProfiles({ names }: { names: string[] }) {
  const one = names.length === 1
  return (
    <p role="alert">
      {one ? 'The sync profile ' : 'The sync profiles '}
      <strong>{quoted(names)}</strong> {one ? 'uses' : 'use'} this preset. Give {one ? 'it' : 'them'} another
      preset in Sync first; then this one can be deleted.
    </p>
  )
}
