/** Thrown inside an operation when its task was cancelled; the operation reports `cancelled`. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled')
  }
}
