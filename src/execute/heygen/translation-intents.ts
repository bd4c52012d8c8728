/** Taking back translation intents this build recorded but never sent. */
import type { TranslationLock } from '../../model/lock.js';
import type { VideoSpec } from '../../model/spec.js';
import type { RunContext } from './context.js';

/**
 * Puts the records of `langs` back as they were before this build journaled their intents (`before`: each
 * language's record then, none when it had none). Nothing was sent under those intents, so the next plan
 * sees what it saw before: never a resume of a POST that did not go out (on v2, no "may be billed twice").
 */
export function putBackIntents(ctx: RunContext, spec: VideoSpec, langs: readonly string[], before: ReadonlyMap<string, TranslationLock | undefined>): Promise<void> {
  return ctx.store.update((l) => {
    const e = l.videos[spec.id]!;
    for (const lang of langs) {
      const b = before.get(lang);
      if (b) e.translations[lang] = b;
      else delete e.translations[lang];
    }
  });
}
