import * as vega from 'vega';

/*
 * Without a canvas vega guesses every character at 0.8 em wide, which cuts legend labels short and
 * leaves wide gutters. These are Inter's real advance widths (printable ASCII, in thousandths of an em,
 * read from the shipped TTFs' hmtx tables), so the layout matches the font resvg draws with.
 */
const REGULAR = [
  281, 288, 466, 633, 642, 982, 644, 300, 365, 365, 501, 662, 288, 460, 288, 360, 631, 407, 610, 618, 646,
  593, 620, 566, 619, 620, 288, 302, 662, 662, 662, 511, 966, 690, 654, 730, 722, 601, 590, 746, 743, 269,
  571, 672, 565, 903, 753, 765, 639, 765, 644, 642, 646, 744, 690, 985, 682, 679, 629, 365, 360, 365, 471,
  456, 323, 562, 612, 571, 612, 583, 370, 613, 591, 242, 242, 549, 242, 876, 591, 600, 612, 612, 376, 528,
  327, 591, 562, 818, 546, 562, 552, 426, 333, 426, 662,
];
const SEMI_BOLD = [
  252, 321, 523, 644, 650, 1004, 663, 326, 373, 373, 540, 673, 319, 465, 319, 379, 660, 423, 623, 636, 666,
  612, 640, 576, 640, 640, 319, 329, 673, 673, 673, 543, 999, 728, 659, 737, 722, 605, 588, 749, 746, 277,
  580, 703, 565, 922, 759, 769, 645, 773, 652, 650, 660, 736, 728, 1020, 720, 713, 652, 373, 379, 373, 481,
  469, 351, 574, 624, 583, 624, 591, 389, 625, 612, 262, 262, 569, 262, 900, 612, 609, 624, 624, 397, 549,
  353, 612, 587, 839, 569, 588, 566, 455, 359, 455, 673,
];
/** Anything outside printable ASCII (accents, the ellipsis, CJK...): a generous average. */
const OTHER = 700;

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

const isBold = (weight: TextItem['fontWeight']) =>
  weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;

/** The width in px of `text` (or the item's own text) in Inter at the item's size and weight. */
export function interWidth(item: TextItem, text?: unknown): number {
  const value = String(text ?? item.text ?? '');
  const size = item.fontSize ?? 11;
  const table = isBold(item.fontWeight) ? SEMI_BOLD : REGULAR;
  let units = 0;
  for (const char of value) {
    const code = char.codePointAt(0)!;
    units += code >= 32 && code < 127 ? table[code - 32]! : OTHER;
  }
  return (units * size) / 1000;
}

/** vega exports its text metrics object at run time (its typings do not list it). */
const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } })
  .textMetrics;

/** Makes vega measure text as Inter; the object is vega's own, so this holds for every view in the process. */
export function measureTextAsInter(): void {
  metrics.width = interWidth;
}
