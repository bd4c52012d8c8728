import { describe, expect, it } from 'vitest';
import { makeStyle, useColor } from '../../src/reporters/style.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };
const TERM = 'xterm-256color';

describe('colour', () => {
  it('a terminal gets colour unless NO_COLOR, NODE_DISABLE_COLORS or TERM=dumb says otherwise', () => {
    expect(useColor(tty, { TERM })).toBe(true);
    expect(useColor(tty, { TERM, NO_COLOR: '1' })).toBe(false);
    expect(useColor(tty, { TERM, NODE_DISABLE_COLORS: '1' })).toBe(false);
    expect(useColor(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('a pipe gets none, unless FORCE_COLOR asks for it (CI logs that render ANSI)', () => {
    expect(useColor(pipe, { TERM })).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it('FORCE_COLOR=0 turns colour off even on a terminal', () => {
    expect(useColor(tty, { TERM, FORCE_COLOR: '0' })).toBe(false);
    expect(useColor(tty, { TERM, FORCE_COLOR: 'false' })).toBe(false);
  });

  it('styles are ANSI with colour and the text itself without', () => {
    expect(makeStyle(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(makeStyle(true).bold('x')).toBe('\u001b[1mx\u001b[22m');
    expect(makeStyle(false).red('x')).toBe('x');
  });
});
