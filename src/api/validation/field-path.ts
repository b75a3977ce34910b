// A field path such as `spec.template.spec.containers[0].ports[1].hostPort`, rendered exactly like
// apimachinery's field.Path so that error messages and Status causes name fields the way kubectl expects.

interface Segment {
  /** A named child (`spec`); empty for a subscript. */
  name: string;
  /** The subscript text for `[0]` or `[cpu]`. */
  index: string;
}

export class FieldPath {
  private constructor(
    private readonly segments: readonly Segment[],
    private readonly rootName: string,
  ) {}

  /** A root path; more names become children (`FieldPath.root("spec", "selector")`). */
  static root(name: string, ...more: string[]): FieldPath {
    return new FieldPath(
      more.map((n) => ({ name: n, index: "" })),
      name,
    );
  }

  child(name: string, ...more: string[]): FieldPath {
    return new FieldPath(
      [...this.segments, ...[name, ...more].map((n) => ({ name: n, index: "" }))],
      this.rootName,
    );
  }

  index(i: number): FieldPath {
    return new FieldPath([...this.segments, { name: "", index: String(i) }], this.rootName);
  }

  /** A map key subscript: `data[key]`, unquoted as upstream prints it. */
  key(k: string): FieldPath {
    return new FieldPath([...this.segments, { name: "", index: k }], this.rootName);
  }

  toString(): string {
    // The root is printed bare, or as `[]` when it is the empty name (upstream's "whole object" path).
    let out = this.rootName.length > 0 ? this.rootName : "[]";
    for (const s of this.segments) out += s.name.length > 0 ? `.${s.name}` : `[${s.index}]`;
    return out;
  }
}
