import { describe, expect, it } from '@jest/globals';
import { formatNumber, renderTable } from './markdown-table.js';

describe('formatNumber', () => {
  it.each([
    [1.23456, 2, '1.23'],
    [null, 2, '–'],
    [Number.NaN, 1, '–'],
    [Number.POSITIVE_INFINITY, 1, '–'],
    [12, 0, '12'],
  ])('%s with %d digits → %s', (value, digits, expected) => {
    expect(formatNumber(value, digits)).toBe(expected);
  });
});

describe('renderTable', () => {
  it('renders a header, alignment row and escaped cells', () => {
    expect(renderTable(['name', 'ms'], [['a|b', '1.0']], ['l', 'r'])).toBe(
      ['| name | ms |', '| --- | ---: |', '| a\\|b | 1.0 |'].join('\n'),
    );
  });
});
