// Trades memory for speed only while there is work. V8 lets its heap grow by a fixed share between major GCs
// (--heap-growing-percent): a small share keeps an idle cluster lean, but makes a rollout spend a fifth of its
// time marking. The governor lets the heap grow roomily while the event loop is saturated, and returns to the
// lean share once the loop has been quiet for a while. If a major GC ran while it was roomy, the heap's limit was
// set roomily: one compacting full GC then gives the memory back at once rather than whenever the next major GC
// would have come.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { LoopLoad } from "./loop-load.js";
import { MajorGcCounter } from "./major-gcs.js";

export type HeapMode = "lean" | "roomy";

export interface HeapGovernorOptions {
  load: LoopLoad;
  /** Heap growth between major GCs while idle, in percent (default 20: ~900 MiB resident, 10,000 nodes × 3 DaemonSets). */
  leanPercent?: number;
  /** Heap growth while busy (default 100: a 10,000-node rollout about a fifth faster). */
  roomyPercent?: number;
  /** Quiet time before returning to lean, so that the pauses within a rollout do not flip the mode (default 3 s). */
  settleMs?: number;
  /** How often the load is looked at (default 250 ms). */
  checkMs?: number;
  /**
   * Busy looks in a row before turning roomy (default 4: a second). A shorter busy spell is not a rollout: it may
   * be one kubectl apply, the governor's own full GC, or V8 marking a large heap — its marking keeps the loop
   * busy for up to ~700 ms, and a governor that turned roomy then let that very GC set a roomy limit, then
   * compacted it away 3 s later: a compacting GC after every major GC, 40 % of a core at idle.
   */
  busyChecks?: number;
  /** Major GCs completed so far (default: counted from V8's GC notifications). */
  majorGcCount?: () => number;
  /** Told of each change of mode (for the log). */
  onChange?: (mode: HeapMode) => void;
  /** Sets the growth share (default: V8's flag). Tests replace it, as they replace `collect`. */
  setGrowingPercent?: (percent: number) => void;
  /** A full garbage collection (default: V8's, exposed at first use). */
  collect?: () => void;
}

const setV8GrowingPercent = (percent: number) => setFlagsFromString(`--heap-growing-percent=${percent}`);

let exposedGc: (() => void) | undefined;
/** V8's full GC: `--expose-gc` set at run time makes `gc` a global of contexts created afterwards. */
function fullGc(): void {
  if (!exposedGc) {
    setFlagsFromString("--expose-gc");
    exposedGc = runInNewContext("gc") as () => void;
  }
  // A plain full GC frees objects but keeps the pages they leave half empty; compacting gives those back.
  setFlagsFromString("--compact-on-every-full-gc");
  try {
    exposedGc();
  } finally {
    setFlagsFromString("--no-compact-on-every-full-gc");
  }
}

export class HeapGovernor {
  private current: HeapMode = "lean";
  private quietSince: number | undefined;
  private busyInARow = 0;
  /** Major GCs counted when the governor turned roomy: one more since means the limit was set roomily. */
  private gcsWhenRoomy = 0;
  private readonly counter: MajorGcCounter | undefined;
  private readonly majorGcCount: () => number;
  private timer: NodeJS.Timeout | undefined;
  private readonly lean: number;
  private readonly roomy: number;
  private readonly settleMs: number;
  private readonly checkMs: number;
  private readonly busyChecks: number;
  private readonly setGrowingPercent: (percent: number) => void;
  private readonly collect: () => void;

  constructor(private readonly o: HeapGovernorOptions) {
    this.lean = o.leanPercent ?? 20;
    this.roomy = o.roomyPercent ?? 100;
    this.settleMs = o.settleMs ?? 3000;
    this.checkMs = o.checkMs ?? 250;
    this.busyChecks = o.busyChecks ?? 4;
    this.setGrowingPercent = o.setGrowingPercent ?? setV8GrowingPercent;
    this.collect = o.collect ?? fullGc;
    if (o.majorGcCount) this.majorGcCount = o.majorGcCount;
    else {
      const counter = new MajorGcCounter();
      this.counter = counter;
      this.majorGcCount = () => counter.count;
    }
  }

  get mode(): HeapMode {
    return this.current;
  }

  /** Sets the lean share and starts watching the load (real time: this is about the process, not the cluster). */
  start(): void {
    if (this.timer) return;
    this.setGrowingPercent(this.lean);
    this.counter?.start();
    this.timer = setInterval(() => this.check(performance.now()), this.checkMs);
    this.timer.unref();
  }

  /** Ends the checks and leaves the heap lean: what ran (a leader's components) may not run again for a while. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.counter?.stop();
    if (this.current === "roomy") this.switchTo("lean", this.lean);
  }

  /**
   * One look at the load at `now` (ms): busy on busyChecks looks in a row → roomy; quiet for settleMs → lean, with
   * a full GC if a major GC ran meanwhile.
   */
  check(now: number): void {
    if (this.o.load.busy()) {
      this.quietSince = undefined;
      this.busyInARow++;
      if (this.current === "lean" && this.busyInARow >= this.busyChecks) {
        this.gcsWhenRoomy = this.majorGcCount();
        this.switchTo("roomy", this.roomy);
      }
      return;
    }
    this.busyInARow = 0;
    if (this.current === "lean") return;
    this.quietSince ??= now;
    if (now - this.quietSince < this.settleMs) return;
    this.switchTo("lean", this.lean);
    if (this.majorGcCount() > this.gcsWhenRoomy) this.collect();
  }

  private switchTo(mode: HeapMode, percent: number): void {
    this.current = mode;
    this.quietSince = undefined;
    this.setGrowingPercent(percent);
    this.o.onChange?.(mode);
  }
}
