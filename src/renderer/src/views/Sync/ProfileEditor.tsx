import * as Dialog from '@radix-ui/react-dialog'
import { useId } from 'react'
import type { Preset } from '../../../../shared/presets'
import type { Profile } from '../../../../shared/profiles'
import { DialogFooter } from '../../components/DialogFooter'
import { BrowseFolder } from './BrowseFolder'
import { AutoSection, FilterSection, FoldersSection, FormatSection } from './EditorSections'
import { useFolderChoice } from './useFolderChoice'
import { type EditorMode, useProfileForm } from './useProfileForm'

export type { EditorMode }

/** The profile editor in a dialog; each opening starts afresh. */
export function ProfileEditor(props: {
  mode: EditorMode | null
  profiles: Profile[]
  presets: Preset[]
  onClose(): void
}) {
  const { mode, onClose } = props
  const key = !mode ? 'closed' : mode.kind === 'edit' ? `edit:${mode.profile.name}` : 'new'
  return (
    <Dialog.Root open={mode !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {mode && <EditorContent key={key} {...props} mode={mode} />}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function EditorContent({
  mode,
  profiles,
  presets,
  onClose,
}: {
  mode: EditorMode
  profiles: Profile[]
  presets: Preset[]
  onClose(): void
}) {
  const { form, change, shown, save, saving, refusal, formRef } = useProfileForm(mode, profiles, onClose)
  const { browsing, browse, chosen, stopBrowsing } = useFolderChoice(form, change)
  const uid = useId()
  const section = { uid, form, change, shown }
  const listed = form.sources.filter((s) => s.trim())

  return (
    <Dialog.Content className="dialog sync-editor" aria-describedby={`${uid}-intro`}>
      <Dialog.Title asChild>
        <h2>{mode.kind === 'edit' ? `Edit ${mode.profile.name}` : 'New sync profile'}</h2>
      </Dialog.Title>
      <p id={`${uid}-intro`} className="muted sync-editor-intro">
        A profile keeps a copy of your library on a device: Ferry converts and copies what is new or changed,
        and never touches files it did not write.
      </p>
      <form ref={formRef} onSubmit={(e) => void save(e)} noValidate className="sync-form">
        <FoldersSection {...section} browse={(purpose) => void browse(purpose)} />
        <FormatSection {...section} presets={presets} />
        <FilterSection {...section} />
        <AutoSection {...section} />

        <div className="sync-editor-footer">
          <DialogFooter
            refusal={refusal}
            saving={saving}
            submitLabel={mode.kind === 'edit' ? 'Save changes' : 'Create profile'}
          />
        </div>
      </form>
      {browsing && (
        <BrowseFolder
          purpose={browsing}
          near={browsing === 'source' ? (listed.at(-1) ?? '') : form.destination}
          chosen={browsing === 'source' ? listed : []}
          onChoose={(paths) => chosen(browsing, paths)}
          onClose={stopBrowsing}
        />
      )}
    </Dialog.Content>
  )
}
