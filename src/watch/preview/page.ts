/**
 * The preview page: one self-contained HTML document. The server puts the current state in it as JSON;
 * the script (page-script.ts) renders that, then follows `/events` and patches the list in place.
 */
import type { WatchState } from '../types.js';
import { SCRIPT } from './page-script.js';
import { STYLE } from './page-style.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML, for user text (titles, errors) put on the preview page. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** JSON that is safe inside `<script>`: no `</script>`, no `<!--`, no line separators JS chokes on. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The preview page's HTML for the watch's current state. */
export function renderPage(state: WatchState): string {
  const name = state.root.split(/[\\/]/).filter(Boolean).pop() ?? state.root;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name)} · heygen-build preview</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(name)}</h1><span id="conn" data-state="connecting">connecting</span><span id="status"></span><input id="filter" type="search" placeholder="Filter by id, title, file or script" aria-label="Filter videos"><span id="shown"></span></header>
<ul id="errors"></ul>
<p id="empty" class="empty" hidden>No videos yet.</p>
<main id="videos"></main>
<div id="groups"></div>
<noscript><ul>${state.videos.map((v) => `<li>${escapeHtml(v.id)}: ${escapeHtml(v.status)}</li>`).join('')}</ul></noscript>
<script type="application/json" id="initial-state">${scriptJson(state)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
