import * as Dialog from '@radix-ui/react-dialog'
import { X } from 'lucide-react'
import { useEffect } from 'react'
import { FolderBrowser } from '../../components/FolderBrowser'
import { useSyncPlaces } from '../../store/sync'

/** The desktop may offer a native folder picker; the browser build has none. */
type FolderPicker = (purpose: 'source' | 'destination') => Promise<string[] | string | null>
export function nativeFolderPicker(): FolderPicker | undefined {
  const pick = (window.ferry as { chooseFolder?: FolderPicker } | undefined)?.chooseFolder
  return typeof pick === 'function' ? pick : undefined
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)
const parentOf = (p: string) => p.replace(/[\\/]+$/, '').replace(/[\\/][^\\/]*$/, '') || '/'

/**
 * The engine's folder browser in a dialog over the profile editor: library folders (several at once)
 * or the device's folder. It opens beside what the field holds, else at home (library) or the first
 * mount root (device).
 */
export function BrowseFolder({
  purpose,
  near,
  chosen,
  onChoose,
  onClose,
}: {
  purpose: 'source' | 'destination'
  near: string
  chosen: string[]
  onChoose(paths: string[]): void
  onClose(): void
}) {
  const places = useSyncPlaces((s) => s.data)
  useEffect(() => {
    if (!places) void useSyncPlaces.getState().api.load()
  }, [places])
  // Beside what the field holds (a device's folder may not be made yet), else a place to start.
  const start = isAbsolute(near.trim())
    ? parentOf(near.trim())
    : purpose === 'source'
      ? places?.home
      : (places?.mounts[0] ?? places?.home)
  return (
    <Dialog.Root open onOpenChange={(o) => !o && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay sync-browse-overlay" />
        <Dialog.Content className="dialog sync-browse" aria-describedby={undefined}>
          <header className="sync-browse-head">
            <Dialog.Title asChild>
              <h2>{purpose === 'source' ? 'Choose library folders' : "Choose the device's folder"}</h2>
            </Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="icon-button" aria-label="Close the folder browser">
                <X size={16} aria-hidden />
              </button>
            </Dialog.Close>
          </header>
          {start ? (
            <FolderBrowser
              purpose={purpose}
              start={start}
              places={places}
              chosen={chosen}
              onCancel={onClose}
              onChoose={(paths) => {
                onChoose(paths)
                onClose()
              }}
            />
          ) : (
            <p className="muted">Finding where to start…</p>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
