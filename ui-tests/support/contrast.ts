// Text contrast as a reader sees it: the element's colour against the first opaque background
// behind it, as the WCAG contrast ratio.
import type { Locator } from '@playwright/test';

/** The contrast ratio (1 to 21) of an element's text against what is behind it. */
export function contrast(element: Locator): Promise<number> {
  return element.evaluate(node => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    let behind: Element | null = node;
    let background = [255, 255, 255];
    while (behind) {
      const [r, g, b, a = 1] = rgb(getComputedStyle(behind).backgroundColor);
      if (a > 0) {
        background = [r, g, b];
        break;
      }
      behind = behind.parentElement;
    }
    const [l1, l2] = [luminance(rgb(getComputedStyle(node).color)), luminance(background)].sort(
      (a, b) => b - a
    );
    return (l1 + 0.05) / (l2 + 0.05);
  });
}

/** Relative luminance of the first opaque background behind an element (0 black, 1 white). */
export function backgroundLuminance(element: Locator): Promise<number> {
  return element.evaluate(node => {
    let behind: Element | null = node;
    while (behind) {
      const [r, g, b, a = 1] = (
        getComputedStyle(behind).backgroundColor.match(/[\d.]+/g) ?? []
      ).map(Number);
      if (a > 0) {
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      }
      behind = behind.parentElement;
    }
    return 1;
  });
}
