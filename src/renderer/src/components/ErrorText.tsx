/** An error shown where it happened, in full (copyable), announced to screen readers. */
export function ErrorText({ children }: { children?: string | null }) {
  if (!children) return null
  return (
    <p className="error" role="alert">
      {children}
    </p>
  )
}
