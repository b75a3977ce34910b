// The pipe the shell puts after a pipeline stage and around a `$(…)`: it collects the command's output, and
// stops a command that writes more than anything real would need.
import type { CommandIO } from "./command.js";

/**
 * The most a pipeline stage or a `$(…)` may write before it is stopped, as a writer to a pipe nobody drains
 * would be. Stages run one after another, so without it `while :; do echo y; done | head -1` would fill the
 * API server's memory instead of ending.
 */
const PIPE_LIMIT = 1024 * 1024;

/** Collects what a command writes to stdout, up to PIPE_LIMIT; past it the command's signal fires. */
export class Pipe {
  private text = "";
  private readonly controller = new AbortController();
  private readonly forward = () => this.controller.abort();
  readonly io: CommandIO;

  constructor(private readonly outer: CommandIO) {
    if (outer.signal.aborted) this.controller.abort();
    else outer.signal.addEventListener("abort", this.forward, { once: true });
    this.io = { ...outer, signal: this.controller.signal, out: (t) => this.write(t) };
  }

  private write(t: string): void {
    if (this.controller.signal.aborted) return;
    this.text += t;
    if (this.text.length > PIPE_LIMIT) {
      this.text = this.text.slice(0, PIPE_LIMIT);
      this.controller.abort();
    }
  }

  /** What was written; the pipe stops listening to the outer signal. */
  close(): string {
    this.outer.signal.removeEventListener("abort", this.forward);
    return this.text;
  }
}
