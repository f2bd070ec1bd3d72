/** The blinking block at the end of text that is still arriving; hidden from screen readers. */
export function Caret() {
  return <span className="sluice-caret" aria-hidden />;
}
