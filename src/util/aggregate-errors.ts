// Go's utilerrors.NewAggregate(...).Error(): the text many upstream messages embed. One message stands alone;
// several are de-duplicated and listed in brackets.

export function aggregateErrorText(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(", ")}]`;
}
