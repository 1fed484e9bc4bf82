/**
 * The service keeps one `ip -j -batch -` and two `nft -f -` started and idle (one loads or deletes, the
 * other lists a table to check its owner before it goes), so a request does not
 * wait for them: starting a program costs a fork and exec of several milliseconds on these machines,
 * and nft spends more loading its libraries. Each is handed to one request only and never reused
 * (a used ip session caches interface indexes; nft applies one input as one transaction). They have
 * run nothing before they are taken, so they see the host as it is when the request comes.
 */
import type { IpSession } from '../run/ip-session'
import { openIpSession } from '../run/ip-session'
import type { NftLoader } from '../run/nft-loader'
import { prestartNft } from '../run/nft-loader'
import type { WarmPrograms } from '../run-request'

export interface WarmFactories {
  ip(): IpSession | null
  nft(): NftLoader | null
}

const REAL: WarmFactories = { ip: openIpSession, nft: prestartNft }

export class WarmPool implements WarmPrograms {
  private ip: IpSession | null = null
  private nft: NftLoader | null = null
  private lister: NftLoader | null = null

  constructor(private readonly make: WarmFactories = REAL) {}

  /** Starts whichever is missing (or died meanwhile). */
  refill(): void {
    if (!this.ip?.alive) this.ip = this.make.ip()
    if (!this.nft?.alive) this.nft = this.make.nft()
    if (!this.lister?.alive) this.lister = this.make.nft()
  }

  takeIpSession(): IpSession | null {
    const s = this.ip
    this.ip = null
    return s?.alive ? s : null
  }

  takeNft(): NftLoader | null {
    const n = this.nft
    this.nft = null
    return n?.alive ? n : null
  }

  takeLister(): NftLoader | null {
    const n = this.lister
    this.lister = null
    return n?.alive ? n : null
  }

  /** Ends them all (closed input: each exits having done nothing). */
  dispose(): void {
    this.ip?.close()
    this.nft?.discard()
    this.lister?.discard()
    this.ip = null
    this.nft = null
    this.lister = null
  }
}
