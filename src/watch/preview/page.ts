/**
 * The preview page: one self-contained HTML document. The server puts the current state in it as JSON;
 * the script renders that, then follows `/events` and patches the list in place (a playing video is not
 * reloaded unless its own draft changed). Page text is set with `textContent`, never as HTML.
 */
import type { WatchState } from '../types.js';

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

const STYLE = `
:root { color-scheme: light dark; --ok: #16a34a; --run: #2563eb; --bad: #dc2626; --wait: #a16207; --muted: #6b7280; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; padding: 1rem 1.5rem; }
header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 1.2rem; margin: 0; }
#status { color: var(--muted); }
#conn.down { color: var(--bad); }
#errors:empty { display: none; }
#errors { border: 1px solid var(--bad); border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
#errors li { margin: .5rem 0; }
#errors pre { margin: .25rem 0; overflow-x: auto; font-size: 12px; }
#videos { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 1rem; margin-top: 1rem; }
.card { border: 1px solid #8884; border-radius: 8px; padding: .75rem; }
.card h2 { font-size: 1rem; margin: 0 0 .25rem; }
.meta { color: var(--muted); font-size: 12px; display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
.cast { font-size: 13px; margin-top: .25rem; }
.cast .sample { margin-left: .5rem; font-size: 11px; cursor: pointer; }
.badge { font-weight: 600; text-transform: uppercase; font-size: 11px; }
[data-state=ready] > .meta .badge { color: var(--ok); }
[data-state=rendering] > .meta .badge { color: var(--run); }
[data-state=queued] > .meta .badge { color: var(--wait); }
[data-state=failed] > .meta .badge, [data-state=invalid] > .meta .badge { color: var(--bad); }
.error { color: var(--bad); font-size: 12px; white-space: pre-wrap; }
.error:empty { display: none; }
video { width: 100%; margin-top: .5rem; background: #000; border-radius: 4px; }
video:not([src]) { display: none; }
.translations { margin: .5rem 0 0 1rem; padding-left: .5rem; border-left: 2px solid #8884; }
.translations:empty { display: none; }
.tr { margin-top: .5rem; }
.empty { color: var(--muted); }
`;

/** Runs in the browser. Plain ES2017, no template literals (this file is one). */
const SCRIPT = `
(function () {
  var list = document.getElementById('videos');
  var errors = document.getElementById('errors');
  var statusEl = document.getElementById('status');
  var conn = document.getElementById('conn');
  function el(tag, cls) { var e = document.createElement(tag); if (cls) e.className = cls; return e; }
  function time(iso) { try { return new Date(iso).toLocaleTimeString(); } catch (e) { return iso; } }
  function mediaUrl(item) { return '/media/' + encodeURIComponent(item.id) + '?v=' + encodeURIComponent(item.version); }
  function block(cls, isVideo) {
    var b = el('div', cls);
    if (isVideo) { b.appendChild(el('h2', 'title')); }
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'badge'));
    meta.appendChild(el('code', 'id'));
    meta.appendChild(el('span', 'time'));
    if (isVideo) meta.appendChild(el('span', 'source'));
    b.appendChild(meta);
    if (isVideo) b.appendChild(el('div', 'cast'));
    b.appendChild(el('div', 'error'));
    var v = el('video'); v.controls = true; v.preload = 'metadata';
    b.appendChild(v);
    if (isVideo) b.appendChild(el('div', 'translations'));
    return b;
  }
  function update(b, item, isVideo) {
    b.dataset.id = item.id;
    b.dataset.state = item.status;
    b.dataset.key = item.key || '';
    b.dataset.version = item.version || '';
    if (isVideo) b.querySelector('.title').textContent = item.title || item.id;
    var meta = b.querySelector('.meta');
    meta.querySelector('.badge').textContent = item.status;
    meta.querySelector('.id').textContent = item.language ? item.language : item.id;
    meta.querySelector('.time').textContent = 'updated ' + time(item.updatedAt);
    if (isVideo) meta.querySelector('.source').textContent = item.source;
    if (isVideo) cast(b.querySelector(':scope > .cast'), item.cast || []);
    b.querySelector(':scope > .error').textContent = item.error || '';
    var video = b.querySelector(':scope > video');
    if (item.output && item.version) {
      var src = mediaUrl(item);
      if (video.getAttribute('src') !== src) video.setAttribute('src', src);
    } else if (video.hasAttribute('src')) {
      video.removeAttribute('src'); video.load();
    }
  }
  // Avatar and voice names; a voice's sample plays only when asked (nothing loads before the click).
  function cast(box, entries) {
    var key = JSON.stringify(entries);
    if (box.dataset.cast === key) return;
    box.dataset.cast = key;
    box.textContent = '';
    entries.forEach(function (c) {
      var line = el('div', 'who');
      var names = [];
      if (c.avatar) names.push(c.avatar.name);
      if (c.voice) names.push((c.avatar ? 'voice ' : '') + c.voice.name);
      line.appendChild(document.createTextNode(names.join(' · ')));
      if (c.voice && c.voice.sample) {
        var play = el('button', 'sample');
        play.type = 'button';
        play.textContent = '▶ sample';
        play.title = 'play ' + c.voice.name + "'s sample";
        play.dataset.sample = c.voice.sample;
        play.addEventListener('click', function () { new Audio(play.dataset.sample).play().catch(function () {}); });
        line.appendChild(play);
      }
      box.appendChild(line);
    });
  }
  function sync(parent, items, cls, isVideo) {
    var existing = {};
    Array.prototype.forEach.call(parent.children, function (c) { if (c.dataset && c.dataset.id) existing[c.dataset.id] = c; });
    items.forEach(function (item, i) {
      var b = existing[item.id] || block(cls, isVideo);
      delete existing[item.id];
      update(b, item, isVideo);
      if (isVideo) sync(b.querySelector('.translations'), item.translations, 'tr', false);
      // Move only when out of place: taking a playing video out of the document pauses it.
      if (parent.children[i] !== b) parent.insertBefore(b, parent.children[i] || null);
    });
    Object.keys(existing).forEach(function (id) { parent.removeChild(existing[id]); });
  }
  function render(state) {
    statusEl.textContent = state.status + ' · ' + state.runs + ' run' + (state.runs === 1 ? '' : 's') + ' · ' + state.provider + ' · ' + time(state.updatedAt);
    document.body.dataset.status = state.status;
    document.body.dataset.runs = String(state.runs);
    errors.textContent = '';
    state.diagnostics.forEach(function (d) {
      var li = el('li');
      var loc = d.location ? d.location.file + ':' + d.location.line + ':' + d.location.column + ' ' : '';
      var head = el('div'); head.textContent = loc + d.severity + ' ' + d.code + ': ' + d.message; li.appendChild(head);
      if (d.frame) { var pre = el('pre'); pre.textContent = d.frame; li.appendChild(pre); }
      if (d.hint) { var h = el('div', 'hint'); h.textContent = 'hint: ' + d.hint; li.appendChild(h); }
      errors.appendChild(li);
    });
    sync(list, state.videos, 'card', true);
    document.getElementById('empty').hidden = state.videos.length > 0;
  }
  render(JSON.parse(document.getElementById('initial-state').textContent));
  var es = new EventSource('/events');
  es.addEventListener('state', function (ev) { conn.textContent = 'live'; conn.className = ''; render(JSON.parse(ev.data)); });
  es.onerror = function () { conn.textContent = 'disconnected, retrying'; conn.className = 'down'; };
})();
`;

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
<header><h1>${escapeHtml(name)}</h1><span id="status"></span><span id="conn">connecting</span></header>
<ul id="errors"></ul>
<p id="empty" class="empty" hidden>No videos yet.</p>
<main id="videos"></main>
<noscript><ul>${state.videos.map((v) => `<li>${escapeHtml(v.id)}: ${escapeHtml(v.status)}</li>`).join('')}</ul></noscript>
<script type="application/json" id="initial-state">${scriptJson(state)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
