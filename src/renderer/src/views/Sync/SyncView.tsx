import { FolderSync, Plus } from 'lucide-react'
import { useEffect, useState } from 'react'
import type { Profile } from '../../../../shared/profiles'
import { EmptyState } from '../../components/EmptyState'
import { ErrorText } from '../../components/ErrorText'
import { syncActions, useProfiles, useSyncPresets, useSyncStatus } from '../../store/sync'
import { ConfirmDialog } from './ConfirmDialog'
import { PreviewDialog } from './PreviewDialog'
import { ProfileCard } from './ProfileCard'
import { type EditorMode, ProfileEditor } from './ProfileEditor'
import './sync.css'

/** What the user is asked to confirm: deleting a profile, or that a device without its marker is the right one. */
type Confirm =
  | { kind: 'delete'; profile: string }
  | { kind: 'force'; profile: string; destination: string; then: 'sync' | 'preview' }

/** Which of the view's dialogs is open: the editor, a preview, or a question to confirm. */
function useSyncDialogs(profiles: Profile[] | undefined) {
  const [editor, setEditor] = useState<EditorMode | null>(null)
  const [preview, setPreview] = useState<{ profile: string; force: boolean } | null>(null)
  const [confirm, setConfirm] = useState<Confirm | null>(null)
  const force = (profile: string, then: 'sync' | 'preview') => {
    const p = profiles?.find((x) => x.name === profile)
    setConfirm({ kind: 'force', profile, destination: p?.destination ?? '', then })
  }
  return { editor, setEditor, preview, setPreview, confirm, setConfirm, force }
}

/** The profiles, their status and the presets loaded; the status again whenever the window comes back. */
function useSyncData() {
  useEffect(() => {
    syncActions.load()
    // A card may have been plugged in while the window was elsewhere: look again when it comes back.
    const again = () => syncActions.refreshStatus()
    window.addEventListener('focus', again)
    return () => window.removeEventListener('focus', again)
  }, [])
}

/**
 * The Sync view: a card per profile (its device, how full it is, its last and current sync), the
 * profile editor, the preview of a plan, and syncing with the engine's refusals handled.
 */
export function SyncView() {
  const profiles = useProfiles((s) => s.data)
  const profilesError = useProfiles((s) => s.error)
  const statuses = useSyncStatus((s) => s.data)
  const statusError = useSyncStatus((s) => s.error)
  const presets = useSyncPresets((s) => s.data)
  const { editor, setEditor, preview, setPreview, confirm, setConfirm, force } = useSyncDialogs(profiles)
  useSyncData()

  return (
    <section className="view sync-view" aria-labelledby="sync-title">
      <div className="view-header">
        <h1 id="sync-title">Sync</h1>
        {profiles && profiles.length > 0 && <NewProfileButton onClick={() => setEditor({ kind: 'new' })} />}
      </div>
      <ErrorText>{profilesError ?? statusError}</ErrorText>
      {profiles && profiles.length === 0 && <NoProfiles onNew={() => setEditor({ kind: 'new' })} />}
      {profiles && profiles.length > 0 && (
        <ul className="sync-grid" aria-label="Sync profiles">
          {profiles.map((p) => (
            <ProfileCard
              key={p.id}
              profile={p}
              status={statuses?.find((s) => s.profileId === p.id)}
              onPreview={() => setPreview({ profile: p.name, force: false })}
              onEdit={() => setEditor({ kind: 'edit', profile: p })}
              onDelete={() => setConfirm({ kind: 'delete', profile: p.name })}
              onForce={() => force(p.name, 'sync')}
            />
          ))}
        </ul>
      )}

      <ProfileEditor
        mode={editor}
        profiles={profiles ?? []}
        presets={presets ?? []}
        onClose={() => setEditor(null)}
      />
      <PreviewDialog
        profile={preview?.profile ?? null}
        force={preview?.force ?? false}
        onClose={() => setPreview(null)}
        onSync={(profile, f) => {
          setPreview(null)
          void syncActions.run(profile, f)
        }}
        onForce={(profile) => {
          setPreview(null)
          force(profile, 'preview')
        }}
      />
      <DeleteConfirm confirm={confirm} onClose={() => setConfirm(null)} />
      <ForceConfirm
        confirm={confirm}
        onPreview={(profile) => setPreview({ profile, force: true })}
        onClose={() => setConfirm(null)}
      />
    </section>
  )
}

function NewProfileButton({ onClick }: { onClick(): void }) {
  return (
    <button type="button" className="button primary" onClick={onClick}>
      <Plus size={16} aria-hidden /> New profile
    </button>
  )
}

/** No profile yet: what a sync is, and the way to set one up. */
function NoProfiles({ onNew }: { onNew(): void }) {
  return (
    <EmptyState
      icon={<FolderSync size={32} aria-hidden />}
      title="Set up a sync: pick your library folder and your device's folder."
    >
      <p>
        Ferry then keeps a copy of your music on the device (an SD card, a player, a phone folder), converting
        what the device cannot play and copying only what changed.
      </p>
      <NewProfileButton onClick={onNew} />
    </EmptyState>
  )
}

function DeleteConfirm({ confirm, onClose }: { confirm: Confirm | null; onClose(): void }) {
  return (
    <ConfirmDialog
      open={confirm?.kind === 'delete'}
      title={`Delete the profile ${confirm?.profile ?? ''}?`}
      confirm="Delete profile"
      danger
      onConfirm={() => syncActions.remove(confirm!.profile)}
      onClose={onClose}
    >
      <p>
        Ferry forgets the profile and its record of what it wrote. The files on the device stay where they
        are; a new profile for the same device treats them as files it did not write.
      </p>
    </ConfirmDialog>
  )
}

/**
 * The device lacks the profile's marker: once the user says it is the right one, sync or preview
 * with force.
 */
function ForceConfirm({
  confirm,
  onPreview,
  onClose,
}: {
  confirm: Confirm | null
  onPreview(profile: string): void
  onClose(): void
}) {
  return (
    <ConfirmDialog
      open={confirm?.kind === 'force'}
      title="Is this the right device?"
      confirm={
        confirm?.kind === 'force' && confirm.then === 'preview'
          ? 'Yes, it is the right device: preview'
          : 'Yes, it is the right device: sync'
      }
      onConfirm={() => {
        if (confirm?.kind !== 'force') return
        if (confirm.then === 'preview') onPreview(confirm.profile)
        else void syncActions.run(confirm.profile, true)
      }}
      onClose={onClose}
    >
      <p>
        <span className="path">{confirm?.kind === 'force' ? confirm.destination : ''}</span> does not hold the
        mark Ferry left on the device of {confirm?.profile}. It may be another card, a reformatted one, or the
        empty folder a card is mounted on while it is not plugged in.
      </p>
      <p>
        Go on only if it is the device for {confirm?.profile}: Ferry marks it again and syncs; files there
        that Ferry did not write are never overwritten or deleted.
      </p>
    </ConfirmDialog>
  )
}
