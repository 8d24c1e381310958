import type { ReactNode } from 'react'

/** What an empty view says: what is missing, and what to do next. */
export function EmptyState({
  icon,
  title,
  children,
}: {
  icon?: ReactNode
  title: string
  children?: ReactNode
}) {
  return (
    <div className="empty" role="note">
      {icon && <div className="empty-icon">{icon}</div>}
      <h2>{title}</h2>
      {children && <div className="muted">{children}</div>}
    </div>
  )
}
