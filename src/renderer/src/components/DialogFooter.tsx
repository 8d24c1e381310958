import * as Dialog from '@radix-ui/react-dialog'
import { ErrorText } from './ErrorText'

/**
 * An editor dialog's foot: the engine's refusal of the last save, then Cancel (closes the dialog) and
 * the submit button, which reads 'Saving…' while a save is under way. `wide` spans the form's grid
 * (each part in a `wide` element); without it the caller places the two parts.
 */
export function DialogFooter({
  refusal,
  saving,
  submitLabel,
  wide,
}: {
  refusal?: string
  saving: boolean
  submitLabel: string
  wide?: boolean
}) {
  const error = <ErrorText>{refusal}</ErrorText>
  return (
    <>
      {wide ? <div className="wide">{error}</div> : error}
      <div className={wide ? 'dialog-actions wide' : 'dialog-actions'}>
        <Dialog.Close asChild>
          <button type="button" className="button">
            Cancel
          </button>
        </Dialog.Close>
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? 'Saving…' : submitLabel}
        </button>
      </div>
    </>
  )
}
