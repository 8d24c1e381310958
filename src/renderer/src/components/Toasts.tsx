// The page's toasts, bottom right: one per finished batch (store/toasts) and the word that the Add
// sheet's batch is queued (store/drop). Radix Toast gives the stack its keyboard (F8 reaches it), its
// pause while hovered or focused, its swipe and its screen-reader announcement.
import * as Toast from '@radix-ui/react-toast'
import { CheckCircle2, CircleAlert, X } from 'lucide-react'
import { useEffect, useId } from 'react'
import { useDrop } from '../store/drop'
import { show, type ShowTarget } from '../store/show'
import { startToasts, SUCCESS_MS, type ToastItem, useToasts } from '../store/toasts'
import './Toasts.css'

export function Toasts() {
  const toasts = useToasts((s) => s.toasts)
  const dismiss = useToasts((s) => s.api.dismiss)
  useEffect(() => startToasts(), [])
  return (
    <Toast.Provider swipeDirection="right" label="Notifications">
      <AddedToast />
      {toasts.map((t) => (
        <BatchToast key={`${t.id}:${t.version}`} toast={t} onClose={() => dismiss(t.id)} />
      ))}
      <Toast.Viewport className="toast-viewport" />
    </Toast.Provider>
  )
}

function BatchToast({ toast, onClose }: { toast: ToastItem; onClose(): void }) {
  const bad = toast.tone === 'bad'
  return (
    <ToastFrame
      open={toast.open}
      onClose={onClose}
      tone={toast.tone}
      // A failure stays until dismissed (assertive); a success fades (polite).
      type={bad ? 'foreground' : 'background'}
      duration={bad ? Infinity : SUCCESS_MS}
      title={toast.title}
      full={toast.label}
      body={toast.body}
      action={toast.action}
      target={toast.target}
    />
  )
}

/** "Added to the queue: 3 files → /x", for a few seconds after the Add sheet closes. */
function AddedToast() {
  const added = useDrop((s) => s.added)
  const dismiss = useDrop((s) => s.api.dismissAdded)
  if (!added) return null
  return (
    <ToastFrame
      key={added.at}
      open
      onClose={dismiss}
      tone="ok"
      type="background"
      duration={SUCCESS_MS}
      title={`Added to the queue: ${added.tasks} file${added.tasks === 1 ? '' : 's'} → ${added.destination}`}
      action="Show in Queue"
      target={{ view: 'queue', batchId: added.batchId }}
    />
  )
}

function ToastFrame({
  open,
  onClose,
  tone,
  type,
  duration,
  title,
  full,
  body,
  action,
  target,
}: {
  open: boolean
  onClose(): void
  tone: 'ok' | 'bad'
  type: 'foreground' | 'background'
  duration: number
  title: string
  /** What the title says in full, on hover. */
  full?: string
  body?: string
  action: string
  target: ShowTarget
}) {
  const uid = useId()
  const Icon = tone === 'bad' ? CircleAlert : CheckCircle2
  return (
    <Toast.Root
      open={open}
      onOpenChange={(o) => {
        if (!o) onClose()
      }}
      type={type}
      duration={duration}
      className={`toast toast-${tone}`}
      // Status or alert to whoever reads the stack; Radix's own live region announces it once, so
      // this one stays quiet (aria-live off) rather than saying it twice.
      role={tone === 'bad' ? 'alert' : 'status'}
      aria-live="off"
      aria-labelledby={`${uid}-title`}
    >
      <Icon size={18} aria-hidden className="toast-icon" />
      <div className="toast-text">
        <Toast.Title id={`${uid}-title`} className="toast-title" title={full}>
          {title}
        </Toast.Title>
        {body && <Toast.Description className="toast-body">{body}</Toast.Description>}
      </div>
      <Toast.Close className="icon-button small toast-close" aria-label="Dismiss" title="Dismiss">
        <X size={14} aria-hidden />
      </Toast.Close>
      <div className="toast-actions">
        <Toast.Action altText={action} asChild>
          <button type="button" className="button small" onClick={() => show(target)}>
            {action}
          </button>
        </Toast.Action>
      </div>
    </Toast.Root>
  )
}
