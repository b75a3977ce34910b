// What a terminal driver does for a shell reading a TTY in cooked mode: echo typed characters, erase with
// Backspace and Ctrl-U, hand over a line on Enter, and turn Ctrl-C into an interrupt and Ctrl-D on an empty
// line into end of input. kubectl puts the local terminal in raw mode, so this runs on the container side.

export interface LineDisciplineEvents {
  /** Echo to the terminal. */
  echo(text: string): void;
  line(text: string): void;
  interrupt(): void;
  eof(): void;
}

const ESC = "\x1b";

export class LineDiscipline {
  private buffer = "";
  /** Inside an escape sequence (arrow keys and the like), which the simulated shell ignores. */
  private escape: "" | "start" | "csi" = "";

  constructor(private readonly events: LineDisciplineEvents) {}

  feed(text: string): void {
    for (const c of text) this.key(c);
  }

  private key(c: string): void {
    if (this.escape === "start") {
      this.escape = c === "[" || c === "O" ? "csi" : "";
      return;
    }
    if (this.escape === "csi") {
      // A CSI sequence ends with a byte in @–~.
      if (c >= "@" && c <= "~") this.escape = "";
      return;
    }
    switch (c) {
      case "\r":
      case "\n": {
        const line = this.buffer;
        this.buffer = "";
        this.events.echo("\r\n");
        this.events.line(line);
        return;
      }
      case "\x7f":
      case "\b":
        if (this.buffer.length > 0) {
          this.buffer = [...this.buffer].slice(0, -1).join("");
          this.events.echo("\b \b");
        }
        return;
      case "\x15":
        this.events.echo("\b \b".repeat([...this.buffer].length));
        this.buffer = "";
        return;
      case "\x03":
        this.buffer = "";
        this.events.echo("^C\r\n");
        this.events.interrupt();
        return;
      case "\x04":
        if (this.buffer === "") this.events.eof();
        return;
      case ESC:
        this.escape = "start";
        return;
    }
    if (c === "\t" || c >= " ") {
      this.buffer += c;
      this.events.echo(c);
    }
  }
}
