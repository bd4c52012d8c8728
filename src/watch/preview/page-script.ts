/**
 * The preview page's script. It renders the state JSON, follows `/events` and patches cards in place (a
 * playing video is not reloaded unless its own output changed). A card is a list of PARTS, each making
 * its element once and updating it from the item: a new piece of the card is one more part. Page text
 * is set with `textContent`, never as HTML.
 */

/** Runs in the browser. Plain ES2017, no template literals (this file is one). */
export const SCRIPT = `
(function () {
  var list = document.getElementById('videos');
  var groupsEl = document.getElementById('groups');
  var errors = document.getElementById('errors');
  var statusEl = document.getElementById('status');
  var conn = document.getElementById('conn');
  var filter = document.getElementById('filter');
  var shown = document.getElementById('shown');
  function el(tag, cls) { var e = document.createElement(tag); if (cls) e.className = cls; return e; }
  function time(iso) { try { return new Date(iso).toLocaleTimeString(); } catch (e) { return iso; } }
  function url(kind, item) { return '/' + kind + '/' + encodeURIComponent(item.id) + '?v=' + encodeURIComponent(item.version); }
  function credits(n) { return (Math.round(n * 100) / 100) + ' cr'; }
  function seconds(s) { return s >= 60 ? Math.floor(s / 60) + 'm' + (Math.round(s % 60) + 's') : Math.round(s) + 's'; }

  // Each part: make(card, isVideo) adds its element; update(card, item, isVideo) fills it.
  var PARTS = [
    { make: function (b, isVideo) { if (isVideo) b.appendChild(el('h2', 'title')); },
      update: function (b, item, isVideo) { if (isVideo) b.querySelector(':scope > .title').textContent = item.title || item.id; } },
    { make: function (b, isVideo) {
        var meta = el('div', 'meta');
        meta.appendChild(el('span', 'badge')); meta.appendChild(el('code', 'id')); meta.appendChild(el('span', 'time')); meta.appendChild(el('span', 'built'));
        if (isVideo) meta.appendChild(el('span', 'source'));
        b.appendChild(meta);
      },
      update: function (b, item, isVideo) {
        var meta = b.querySelector(':scope > .meta');
        meta.querySelector('.badge').textContent = item.status;
        meta.querySelector('.id').textContent = item.language ? item.language : item.id;
        meta.querySelector('.time').textContent = 'updated ' + time(item.updatedAt);
        meta.querySelector('.built').textContent = item.builtAt ? 'built ' + time(item.builtAt) : '';
        if (isVideo) meta.querySelector('.source').textContent = item.source;
      } },
    { make: function (b, isVideo) { if (isVideo) b.appendChild(el('div', 'cast')); },
      update: function (b, item, isVideo) { if (isVideo) cast(b.querySelector(':scope > .cast'), item.cast || []); } },
    { make: function (b) { b.appendChild(el('div', 'plan')); },
      update: function (b, item) {
        var p = b.querySelector(':scope > .plan');
        p.textContent = '';
        if (!item.plan) return;
        var action = el('span', 'action'); action.textContent = item.plan.action; p.appendChild(action);
        var est = el('span', 'estimate'); est.textContent = '~' + seconds(item.plan.seconds) + ' · ' + credits(item.plan.credits); p.appendChild(est);
        var why = el('span', 'reasons'); why.textContent = item.plan.reasons.join('; '); p.appendChild(why);
      } },
    { make: function (b) { b.appendChild(el('div', 'error')); },
      update: function (b, item) { b.querySelector(':scope > .error').textContent = item.error || ''; } },
    { make: function (b) { var v = el('video'); v.controls = true; v.preload = 'metadata'; b.appendChild(v); },
      update: function (b, item) { updateVideo(b.querySelector(':scope > video'), item); } },
    { make: function (b, isVideo) {
        if (!isVideo) return;
        var d = el('details', 'scenes'); d.open = true; d.appendChild(el('summary')); d.appendChild(el('ol')); b.appendChild(d);
      },
      update: function (b, item, isVideo) { if (isVideo) updateScenes(b.querySelector(':scope > .scenes'), item.scenes || []); } },
    { make: function (b, isVideo) { if (isVideo) b.appendChild(el('div', 'translations')); },
      update: function (b, item, isVideo) { if (isVideo) sync(b.querySelector(':scope > .translations'), item.translations, 'tr', false); } }
  ];

  function updateVideo(video, item) {
    if (item.output && item.version) {
      var src = url('media', item);
      if (video.getAttribute('src') !== src) {
        // A voiceover has no frame to show.
        if (/\\.(mp3|wav|m4a)$/i.test(item.output)) video.removeAttribute('poster');
        else video.setAttribute('poster', url('poster', item));
        video.setAttribute('src', src);
      }
    } else if (video.hasAttribute('src')) {
      video.removeAttribute('src'); video.removeAttribute('poster'); video.load();
    }
    var track = video.querySelector('track');
    var want = item.captions && item.output && item.version ? url('captions', item) : null;
    if (track && track.getAttribute('src') !== want) { video.removeChild(track); track = null; }
    if (want && !track) {
      track = el('track'); track.kind = 'captions'; track.label = item.language || 'captions'; track.default = true;
      if (item.language && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(item.language)) track.srclang = item.language;
      track.setAttribute('src', want);
      video.appendChild(track);
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
  function updateScenes(box, scenes) {
    box.querySelector('summary').textContent = scenes.length + ' scene' + (scenes.length === 1 ? '' : 's');
    var ol = box.querySelector('ol');
    ol.textContent = '';
    scenes.forEach(function (s) {
      var li = el('li', 'scene'); li.dataset.kind = s.kind;
      var who = [s.avatar, s.voice].filter(Boolean).join(' · ');
      if (who) { var w = el('div', 'who'); w.textContent = who; li.appendChild(w); }
      var t = el('p', 'script'); t.textContent = s.text; li.appendChild(t);
      ol.appendChild(li);
    });
    box.hidden = scenes.length === 0;
  }
  function block(cls, isVideo) {
    var b = el('div', cls);
    PARTS.forEach(function (p) { p.make(b, isVideo); });
    return b;
  }
  function update(b, item, isVideo) {
    // Written again since the page last saw it, even when its bytes came out the same.
    var built = item.builtAt || '';
    var rebuilt = b.dataset.built !== undefined && b.dataset.built !== '' && built !== '' && b.dataset.built !== built;
    b.dataset.id = item.id;
    b.dataset.state = item.status;
    b.dataset.key = item.key || '';
    b.dataset.version = item.version || '';
    b.dataset.built = built;
    if (isVideo) b.dataset.search = [item.id, item.title || '', item.source].concat((item.scenes || []).map(function (s) { return s.text; })).join('\\n').toLowerCase();
    PARTS.forEach(function (p) { p.update(b, item, isVideo); });
    if (!rebuilt) return;
    b.classList.remove('rebuilt'); void b.offsetWidth; b.classList.add('rebuilt'); // restart the flash
    // A video that failed to load (its file was gone) is asked for again: the same URL has the file again.
    var v = b.querySelector(':scope > video');
    if (v && v.error) v.load();
  }
  function sync(parent, items, cls, isVideo) {
    var existing = {};
    Array.prototype.forEach.call(parent.children, function (c) { if (c.dataset && c.dataset.id) existing[c.dataset.id] = c; });
    items.forEach(function (item, i) {
      var b = existing[item.id] || block(cls, isVideo);
      delete existing[item.id];
      update(b, item, isVideo);
      // Move only when out of place: taking a playing video out of the document pauses it.
      if (parent.children[i] !== b) parent.insertBefore(b, parent.children[i] || null);
    });
    Object.keys(existing).forEach(function (id) { parent.removeChild(existing[id]); });
  }
  function applyFilter() {
    var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var cards = document.querySelectorAll('#videos > .card, #groups .rows > .card');
    var n = 0;
    Array.prototype.forEach.call(cards, function (c) {
      var hit = words.every(function (w) { return (c.dataset.search || '').indexOf(w) !== -1; });
      c.hidden = !hit;
      if (hit) n++;
    });
    shown.textContent = words.length ? n + ' of ' + cards.length + ' shown' : '';
  }
  // Rows of a rows: manifest, one section per group (welcome/*), each with its cards.
  function renderGroups(videos) {
    var byGroup = {}; var order = [];
    videos.forEach(function (v) {
      if (!v.group) return;
      if (!byGroup[v.group]) { byGroup[v.group] = []; order.push(v.group); }
      byGroup[v.group].push(v);
    });
    var existing = {};
    Array.prototype.forEach.call(groupsEl.children, function (c) { existing[c.dataset.group] = c; });
    order.forEach(function (g, i) {
      var sec = existing[g];
      delete existing[g];
      if (!sec) { sec = el('section', 'group'); sec.dataset.group = g; sec.appendChild(el('h2', 'group-title')); sec.appendChild(el('div', 'rows')); }
      var rows = byGroup[g];
      var ready = rows.filter(function (v) { return v.status === 'ready'; }).length;
      sec.querySelector('.group-title').textContent = g + ' · ' + rows.length + (rows.length === 1 ? ' row' : ' rows') + ' · ' + ready + ' ready';
      sync(sec.querySelector('.rows'), rows, 'card', true);
      if (groupsEl.children[i] !== sec) groupsEl.insertBefore(sec, groupsEl.children[i] || null);
    });
    Object.keys(existing).forEach(function (g) { groupsEl.removeChild(existing[g]); });
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
    sync(list, state.videos.filter(function (v) { return !v.group; }), 'card', true);
    renderGroups(state.videos);
    applyFilter();
    document.getElementById('empty').hidden = state.videos.length > 0;
  }
  function connection(state, text) { conn.dataset.state = state; conn.textContent = text; document.body.dataset.conn = state; }
  filter.addEventListener('input', applyFilter);
  render(JSON.parse(document.getElementById('initial-state').textContent));
  connection('connecting', 'connecting');
  var es = new EventSource('/events');
  es.onopen = function () { connection('live', 'live'); };
  es.addEventListener('state', function (ev) { connection('live', 'live'); render(JSON.parse(ev.data)); });
  es.onerror = function () { connection('down', 'disconnected · retrying'); };
})();
`;
