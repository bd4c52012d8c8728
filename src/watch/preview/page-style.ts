/** The preview page's CSS: light and dark, one card per video. */

/** The page's stylesheet, inlined in a `<style>` (the CSP allows inline styles only). */
export const STYLE = `
:root { color-scheme: light dark; --ok: #16a34a; --run: #2563eb; --bad: #dc2626; --wait: #a16207; --muted: #6b7280; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; padding: 1rem 1.5rem; }
header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
h1 { font-size: 1.2rem; margin: 0; }
#status { color: var(--muted); }
#conn { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 999px; border: 1px solid currentColor; }
#conn::before { content: ''; display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: currentColor; margin-right: 6px; }
#conn[data-state=live] { color: var(--ok); }
#conn[data-state=connecting] { color: var(--wait); }
#conn[data-state=down] { color: var(--bad); }
#filter { margin-left: auto; padding: 4px 8px; min-width: 16rem; font: inherit; }
#shown { color: var(--muted); font-size: 12px; }
#errors:empty { display: none; }
#errors { border: 1px solid var(--bad); border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
#errors li { margin: .5rem 0; }
#errors pre { margin: .25rem 0; overflow-x: auto; font-size: 12px; }
#videos { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 1rem; margin-top: 1rem; }
.card { border: 1px solid #8884; border-radius: 8px; padding: .75rem; }
.card[hidden] { display: none; }
.card h2 { font-size: 1rem; margin: 0 0 .25rem; }
.meta, .plan { color: var(--muted); font-size: 12px; display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
.plan { margin-top: .25rem; }
.plan:empty { display: none; }
.plan .action { font-weight: 600; }
.badge { font-weight: 600; text-transform: uppercase; font-size: 11px; }
.built:empty { display: none; }
.card.rebuilt { animation: rebuilt 2s ease-out; }
@keyframes rebuilt { from { box-shadow: 0 0 0 3px var(--run); } to { box-shadow: 0 0 0 3px transparent; } }
[data-state=ready] > .meta .badge { color: var(--ok); }
[data-state=rendering] > .meta .badge { color: var(--run); }
[data-state=queued] > .meta .badge { color: var(--wait); }
[data-state=failed] > .meta .badge, [data-state=invalid] > .meta .badge { color: var(--bad); }
.error { color: var(--bad); font-size: 12px; white-space: pre-wrap; }
.error:empty { display: none; }
video { width: 100%; margin-top: .5rem; background: #000; border-radius: 4px; object-fit: contain; }
video:not([src]) { display: none; }
.scenes { margin-top: .5rem; font-size: 13px; }
.scenes summary { cursor: pointer; color: var(--muted); }
.scenes ol { margin: .25rem 0 0; padding-left: 1.5rem; }
.scene { margin: .25rem 0; }
.scene .who { color: var(--muted); font-size: 11px; }
.scene .script { margin: 0; white-space: pre-wrap; }
.scene[data-kind=silence] .script, .scene[data-kind=audio] .script { font-style: italic; }
.translations { margin: .5rem 0 0 1rem; padding-left: .5rem; border-left: 2px solid #8884; }
.translations:empty { display: none; }
.tr { margin-top: .5rem; }
.empty { color: var(--muted); }
.cast { font-size: 13px; margin-top: .25rem; }
.cast:empty { display: none; }
.cast .sample { margin-left: .5rem; font-size: 11px; cursor: pointer; }
.group { margin-top: 1.5rem; }
.group-title { font-size: 1.05rem; margin: 0; }
.group .rows { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 1rem; margin-top: .5rem; }
`;
