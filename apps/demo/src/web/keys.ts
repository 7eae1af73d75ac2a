// Keyboard shortcuts for the whole page, ignored while typing in a control.

// Fields that take typed text (or a choice by typing): every key belongs to them.
const TEXT_ENTRY = 'input:not([type="checkbox"], [type="radio"]), select, textarea';

/**
 * Binds space (train or pause), s (one step) and r (reset) on the whole page. They are ignored
 * while typing in a field, in the graph panel (whose keys pan and zoom), and with a modifier; on a
 * focused button, checkbox or radio button s and r still work, and space keeps its own meaning
 * there (pressing or ticking it).
 */
export function bindKeys(actions: { toggle: () => void; step: () => void; reset: () => void }): void {
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (event.ctrlKey || event.metaKey || event.altKey || target.closest(`${TEXT_ENTRY}, #graph`) !== null)
      return;
    if (event.key === ' ') {
      if (target.closest('button, input') !== null) return;
      event.preventDefault();
      actions.toggle();
    } else if (event.key === 's') actions.step();
    else if (event.key === 'r') actions.reset();
  });
}
