// Drop anything, anywhere: a window-level drop zone (with an overlay while something is dragged over
// the window) and the "Add to queue" sheet it opens. Mounted once by App. The word that a batch was
// added is a toast (components/Toasts).
import { FolderDown, FolderPlus } from 'lucide-react'
import { useEffect, useState } from 'react'
import { openAddSheet, useDrop } from '../../store/drop'
import { AddSheet } from './AddSheet'
import { carriesFiles, readDrop } from './readDrop'
import './drop.css'

export function DropView() {
  return (
    <>
      <DropZone />
      <AddSheet />
    </>
  )
}

/** The sidebar's way in without drag and drop: the sheet, with the folder browser open. */
export function AddFilesButton() {
  return (
    <button type="button" className="nav-item add-files" onClick={() => openAddSheet()}>
      <FolderPlus size={16} aria-hidden />
      Add files…
    </button>
  )
}

function DropZone() {
  const [over, setOver] = useState(false)
  const dropped = useDrop((s) => s.api.dropped)
  useEffect(() => {
    let depth = 0
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e.dataTransfer)) return
      e.preventDefault()
      depth++
      setOver(true)
    }
    const overWindow = (e: DragEvent) => {
      if (!carriesFiles(e.dataTransfer)) return
      e.preventDefault() // lets the drop happen (and keeps the browser from opening the file)
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
    }
    const leave = (e: DragEvent) => {
      if (!carriesFiles(e.dataTransfer)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setOver(false)
    }
    const drop = (e: DragEvent) => {
      depth = 0
      setOver(false)
      if (!e.dataTransfer || !carriesFiles(e.dataTransfer)) return
      e.preventDefault()
      const { paths, names } = readDrop(e.dataTransfer, window.ferry?.pathForFile?.bind(window.ferry))
      if (paths.length || names.length) dropped(paths, names)
    }
    const end = () => {
      depth = 0
      setOver(false)
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragover', overWindow)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
    window.addEventListener('dragend', end)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragover', overWindow)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', drop)
      window.removeEventListener('dragend', end)
    }
  }, [dropped])
  if (!over) return null
  return (
    <div className="drop-overlay" role="status">
      <div className="drop-target">
        <FolderDown size={40} aria-hidden />
        <p className="drop-title">Drop to add to the queue</p>
        <p className="muted">Folders and files: copy, move or convert them in the next step.</p>
      </div>
    </div>
  )
}
