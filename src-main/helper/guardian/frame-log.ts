/**
 * The guardian's latest frames in `<runtimeDir>/.guardian.json` (mode 0644, written atomically by
 * root): the desktop app runs as a normal user and cannot open the service's root-only socket, so it
 * reads them there (app/watchers.ts) and shows each new one as a notification. Facts only.
 */
import type { GuardianFrame } from '../../contract/helper-protocol'
import { writeFileAtomicSync } from '../../store/safe-fs'

const KEEP = 20

export class FrameLog {
  private readonly frames: GuardianFrame[] = []

  constructor(
    private readonly file: string,
    private readonly log: (line: string) => void
  ) {}

  add(frame: GuardianFrame): void {
    this.frames.push(frame)
    if (this.frames.length > KEEP) this.frames.splice(0, this.frames.length - KEEP)
    try {
      writeFileAtomicSync(this.file, `${JSON.stringify({ frames: this.frames })}\n`, 0o644)
    } catch (e) {
      this.log(`guardian: cannot write ${this.file}: ${(e as Error).message}`)
    }
  }
}
