// Errors that cross a transport travel as plain data ({ name, code, message }) and are rebuilt as
// FerryError on the other side, so a client can branch on `code` whatever carried it.

export type ErrorCode =
  | 'invalid_input'
  | 'unknown_command'
  | 'engine_running'
  | 'not_found'
  | 'unauthorized'
  | 'unavailable'
  | 'internal'

export interface ErrorShape {
  name: string
  code: ErrorCode
  message: string
}

export class FerryError extends Error {
  override name = 'FerryError'
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }

  toJSON(): ErrorShape {
    return { name: this.name, code: this.code, message: this.message }
  }
}

/** Turns anything thrown into the shape that crosses a transport. */
export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof FerryError) return err.toJSON()
  if (err instanceof Error) return { name: err.name, code: 'internal', message: err.message }
  return { name: 'Error', code: 'internal', message: String(err) }
}

export function fromErrorShape(shape: ErrorShape): FerryError {
  return new FerryError(shape.code, shape.message)
}
