// Keyboard shortcuts for the whole page, ignored while typing in a control.

export function bindKeys(actions: { toggle: () => void; step: () => void; reset: () => void }): void {
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (
      event.ctrlKey ||
      event.metaKey ||
      event.altKey ||
      target.closest('input, select, textarea, button, #graph') !== null
    )
      return;
    if (event.key === ' ') {
      event.preventDefault();
      actions.toggle();
    } else if (event.key === 's') actions.step();
    else if (event.key === 'r') actions.reset();
  });
}
