/**
 * A character someone can see. Whitespace, control and format characters (zero-width space,
 * word joiner, BOM, soft hyphen...), other default-ignorable ones (Hangul filler, variation
 * selectors) and the blank Braille pattern all render as nothing, so text made only of them
 * would post an invisible prospect or contact.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** Whether the text shows anything; every required text field counts text without it as blank. */
export const hasVisibleText = (text: string | null | undefined): boolean => VISIBLE.test(text ?? '');
