/**
 * The font files text is drawn with. They come from npm packages, never from the system: a draft and
 * a final look the same on every machine and in CI, and no text is ever left out for want of a font.
 * DejaVu (package `dejavu-fonts-ttf`, a dependency) covers Latin, Greek, Cyrillic, Arabic, Hebrew and
 * more; for Chinese, Japanese and Korean the Noto Sans packages below are used when installed (they
 * are 10 MB per face, so they are not a dependency: see "Text overlays" in the README).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { HeygenBuildError } from '../errors.js';
import type { OverlayFont } from '../model/overlay.js';

const FILES: Record<OverlayFont, string> = {
  sans: 'DejaVuSans.ttf',
  'sans-bold': 'DejaVuSans-Bold.ttf',
  serif: 'DejaVuSerif.ttf',
  'serif-bold': 'DejaVuSerif-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
  'mono-bold': 'DejaVuSansMono-Bold.ttf',
  condensed: 'DejaVuSansCondensed.ttf',
  'condensed-bold': 'DejaVuSansCondensed-Bold.ttf',
};

/** CJK fallbacks, best first: a package name and the face in it (regular and bold). */
const CJK: readonly { pkg: string; regular: string; bold: string }[] = [
  { pkg: '@expo-google-fonts/noto-sans-sc', regular: '400Regular/NotoSansSC_400Regular.ttf', bold: '700Bold/NotoSansSC_700Bold.ttf' },
  { pkg: '@expo-google-fonts/noto-sans-jp', regular: '400Regular/NotoSansJP_400Regular.ttf', bold: '700Bold/NotoSansJP_700Bold.ttf' },
  { pkg: '@expo-google-fonts/noto-sans-kr', regular: '400Regular/NotoSansKR_400Regular.ttf', bold: '700Bold/NotoSansKR_700Bold.ttf' },
  { pkg: '@expo-google-fonts/noto-sans-tc', regular: '400Regular/NotoSansTC_400Regular.ttf', bold: '700Bold/NotoSansTC_700Bold.ttf' },
];

const require = createRequire(import.meta.url);

/** The folder of an installed package, or undefined when it is not installed. */
function packageDir(pkg: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return undefined;
  }
}

/** The bundled TrueType file of a font name. */
export function bundledFont(font: OverlayFont = 'sans'): string {
  const dir = packageDir('dejavu-fonts-ttf');
  if (!dir) {
    throw new HeygenBuildError('E_OVERLAY_FONT', 'the font package dejavu-fonts-ttf is not installed', {
      hint: 'run npm install: heygen-build depends on dejavu-fonts-ttf for every text it draws',
    });
  }
  return path.join(dir, 'ttf', FILES[font]);
}

/** The installed CJK fallback faces, best first (bold faces for bold fonts). */
export function cjkFallbacks(font: OverlayFont = 'sans'): string[] {
  const bold = font.endsWith('-bold');
  return CJK.flatMap((c) => {
    const dir = packageDir(c.pkg);
    return dir ? [path.join(dir, bold ? c.bold : c.regular)] : [];
  });
}

/** The font for draft labels, banners and burned captions: the bundled DejaVu Sans. */
export function findFont(): Promise<string> {
  return Promise.resolve(bundledFont('sans'));
}
