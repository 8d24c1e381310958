import * as Dialog from '@radix-ui/react-dialog'
import { type ReactNode, useState } from 'react'
import { ErrorText } from '../../components/ErrorText'

/** A question with one way forward; what it does may be refused, and then it says why and stays open. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirm,
  danger,
  onConfirm,
  onClose,
}: {
  open: boolean
  title: string
  children: ReactNode
  confirm: string
  danger?: boolean
  onConfirm(): Promise<void> | void
  onClose(): void
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const go = async () => {
    setBusy(true)
    setError(undefined)
    try {
      await onConfirm()
      onClose()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        if (!o) {
          setError(undefined)
          onClose()
        }
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog sync-confirm">
          <Dialog.Title asChild>
            <h2>{title}</h2>
          </Dialog.Title>
          <Dialog.Description asChild>
            <div className="sync-confirm-body">{children}</div>
          </Dialog.Description>
          <ErrorText>{error}</ErrorText>
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button" className="button">
                Cancel
              </button>
            </Dialog.Close>
            <button
              type="button"
              className={`button primary ${danger ? 'danger-fill' : ''}`}
              disabled={busy}
              onClick={() => void go()}
            >
              {confirm}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
