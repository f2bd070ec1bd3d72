/** A component's own class name, followed by the one an app passed in, if any. */
export function withClassName(own: string, className: string | undefined): string {
  return className === undefined || className === '' ? own : `${own} ${className}`;
}
