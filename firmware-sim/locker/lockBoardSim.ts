/**
 * A software model of lock boards on one bus: N boards × 24 locks. A door opens when its lock is
 * released and swings shut after `closeAfterMs` (a customer taking the parcel), or stays open when the
 * test says it was "left open". Faults for tests: garble the next replies (bad checksum), stop
 * answering (timeout), jam a lock (unlock refused, door stays shut). Pure: time comes from the clock.
 */
import type { Clock } from '../../gateway/core/clock.ts'
import { DOORS_PER_BOARD, decodeRequest, encodeReply } from '../../devices/locker/lockBoard/frame.ts'

export interface LockBoardSimOptions {
  clock: Clock
  /** Board addresses on the bus. */
  boards: number[]
  /** How long a released door stays open before it is closed again; null = until closed by hand. */
  closeAfterMs?: number | null
}

export class LockBoardSim {
  readonly #clock: Clock
  readonly #closeAfterMs: number | null
  /** board → per-lock time until which the door is open (0 = shut, Infinity = open until closed). */
  readonly #openUntil = new Map<number, number[]>()
  readonly #leftOpen = new Set<string>()
  readonly #jammed = new Set<string>()
  readonly #silent = new Set<number>()
  #corruptNext = 0
  /** Frames received, for tests that check the bus carries one frame at a time. */
  readonly received: Buffer[] = []

  constructor(opts: LockBoardSimOptions) {
    this.#clock = opts.clock
    this.#closeAfterMs = opts.closeAfterMs === undefined ? 5_000 : opts.closeAfterMs
    for (const b of opts.boards) this.#openUntil.set(b, new Array<number>(DOORS_PER_BOARD).fill(0))
  }

  /** The reply to one request frame, or undefined when the board would say nothing. */
  handle(frame: Buffer): Buffer | undefined {
    this.received.push(Buffer.from(frame))
    const req = decodeRequest(frame)
    if (!req || !this.#openUntil.has(req.board) || this.#silent.has(req.board)) return undefined
    let reply: Buffer
    switch (req.type) {
      case 'unlock': {
        if (req.lock > DOORS_PER_BOARD) return undefined
        const ok = !this.#jammed.has(key(req.board, req.lock))
        if (ok) this.#release(req.board, req.lock)
        reply = encodeReply({ type: 'unlock', board: req.board, lock: req.lock, unlocked: ok })
        break
      }
      case 'query_door':
        if (req.lock > DOORS_PER_BOARD) return undefined
        reply = encodeReply({ type: 'door', board: req.board, lock: req.lock, open: this.isOpen(req.board, req.lock) })
        break
      case 'query_all':
        reply = encodeReply({ type: 'doors', board: req.board, open: this.doors(req.board) })
        break
    }
    if (this.#corruptNext > 0) {
      this.#corruptNext--
      reply[reply.length - 1] = (reply[reply.length - 1] as number) ^ 0x5a
    }
    return reply
  }

  isOpen(board: number, lock: number): boolean {
    const until = this.#openUntil.get(board)?.[lock - 1] ?? 0
    return this.#clock.now() < until
  }

  doors(board: number): boolean[] {
    return Array.from({ length: DOORS_PER_BOARD }, (_, i) => this.isOpen(board, i + 1))
  }

  /** Someone pushes the door shut. */
  close(board: number, lock: number): void {
    this.#set(board, lock, 0)
  }

  /** The door is pried open (no unlock): what the 'locker.forced' rule must catch. */
  force(board: number, lock: number): void {
    this.#set(board, lock, Infinity)
  }

  /** After its next release this door stays open until closed by hand. */
  leaveOpen(board: number, lock: number, on = true): void {
    if (on) this.#leftOpen.add(key(board, lock))
    else this.#leftOpen.delete(key(board, lock))
  }

  /** The lock does not release: unlock replies "still locked" and the door stays shut. */
  jam(board: number, lock: number, on = true): void {
    if (on) this.#jammed.add(key(board, lock))
    else this.#jammed.delete(key(board, lock))
  }

  /** Garble the checksum of the next `n` replies. */
  corruptNextReplies(n: number): void {
    this.#corruptNext += n
  }

  /** A board stops answering (power cut, wrong address) or resumes. */
  silence(board: number, on = true): void {
    if (on) this.#silent.add(board)
    else this.#silent.delete(board)
  }

  #release(board: number, lock: number): void {
    const stays = this.#leftOpen.has(key(board, lock)) || this.#closeAfterMs === null
    this.#set(board, lock, stays ? Infinity : this.#clock.now() + (this.#closeAfterMs ?? 0))
  }

  #set(board: number, lock: number, until: number): void {
    const doors = this.#openUntil.get(board)
    if (doors && lock >= 1 && lock <= DOORS_PER_BOARD) doors[lock - 1] = until
  }
}

function key(board: number, lock: number): string {
  return `${board}/${lock}`
}
