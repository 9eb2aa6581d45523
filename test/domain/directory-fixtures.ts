import { COLUMN_MAX_LENGTH } from '../../src/domain/directory-entry.ts';

/** The longest products list the import takes: 50 products the contact form writes in exactly its limit. */
export function longestProducts(): string[] {
  const count = 50;
  const letters = COLUMN_MAX_LENGTH.products - '; '.length * (count - 1);
  return Array.from({ length: count }, (_, i) => {
    const length = Math.floor(letters / count) + (i < letters % count ? 1 : 0);
    return `Product ${String(i).padStart(2, '0')} `.padEnd(length, 'x');
  });
}
