// How the reader last pointed at the page, so that a note can say what to do in their words.

/** Touch (or a pen), a mouse, or the keyboard. */
export type InputKind = 'touch' | 'mouse' | 'keyboard';

/**
 * Watches the page's pointer and key events from now on.
 *
 * @returns a function that tells the kind of input used last (`mouse` until there is any)
 */
export function trackInputKind(): () => InputKind {
  let kind: InputKind = 'mouse';
  const options = { capture: true, passive: true };
  document.addEventListener(
    'pointerdown',
    (event) => {
      kind = event.pointerType === 'mouse' ? 'mouse' : 'touch';
    },
    options,
  );
  // A mouse points without pressing (hovering a neuron); a finger does not.
  document.addEventListener(
    'pointermove',
    (event) => {
      if (event.pointerType === 'mouse') kind = 'mouse';
    },
    options,
  );
  document.addEventListener(
    'keydown',
    () => {
      kind = 'keyboard';
    },
    options,
  );
  return () => kind;
}
