import * as Tooltip from '@radix-ui/react-tooltip'
import type { ReactNode } from 'react'

/** An icon button named for screen readers, with the same words in a tooltip on hover and focus. */
export function IconAction({
  label,
  onClick,
  children,
  tone,
  disabled,
}: {
  label: string
  onClick: () => void
  children: ReactNode
  tone?: 'bad'
  disabled?: boolean
}) {
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>
        <button
          type="button"
          className={`icon-button q-icon ${tone ?? ''}`}
          aria-label={label}
          disabled={disabled}
          onClick={(e) => {
            e.stopPropagation()
            onClick()
          }}
        >
          {children}
        </button>
      </Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="q-tooltip" sideOffset={4}>
          {label}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  )
}
