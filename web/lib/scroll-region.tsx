import type { ComponentChildren } from "preact";

/**
 * A table wrapper that scrolls sideways on a narrow screen. Focusable and named, so that a
 * keyboard user can reach it and scroll it (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take keyboard focus to be scrolled without a pointer
    <section class="scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
