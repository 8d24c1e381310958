// happy-dom lays nothing out: every element measures 0×0. A virtual list needs its viewport's
// size, so the list (role=grid) is given one; everything else stays 0.
export function giveGridASize(width = 900, height = 480): () => void {
  const proto = HTMLElement.prototype
  const saved = {
    clientHeight: Object.getOwnPropertyDescriptor(proto, 'clientHeight')!,
    clientWidth: Object.getOwnPropertyDescriptor(proto, 'clientWidth')!,
  }
  const isGrid = (el: HTMLElement) => el.getAttribute('role') === 'grid'
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isGrid(this) ? height : saved.clientHeight.get!.call(this)
    },
  })
  Object.defineProperty(proto, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return isGrid(this) ? width : saved.clientWidth.get!.call(this)
    },
  })
  return () => {
    Object.defineProperty(proto, 'clientHeight', saved.clientHeight)
    Object.defineProperty(proto, 'clientWidth', saved.clientWidth)
  }
}
