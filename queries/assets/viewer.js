/* policygraph viewer: legend, type filters, search by name or alias, neighbourhood
 * highlight and a details panel. Every string from the graph is written with
 * textContent or DOM calls; nothing here ever parses a data string as HTML. */
(function () {
  'use strict';

  function readJSON(id) { return JSON.parse(document.getElementById(id).textContent); }
  const nodeList = readJSON('pg-nodes');
  const edgeList = readJSON('pg-edges');
  const options = readJSON('pg-options');
  const meta = readJSON('pg-meta');

  const typeInfo = new Map(meta.types.map(t => [t.type, t]));
  const relInfo = new Map(meta.relations.map(r => [r.type, r]));

  /* ---------- small DOM helpers (text only) ---------- */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'onclick') node.addEventListener('click', value);
      else if (key === 'style') Object.assign(node.style, value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child);  // strings become Text nodes
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function plural(n, word) { return n.toLocaleString('en') + ' ' + word + (n === 1 ? '' : 's'); }
  /* big graphs carry only the first few sentences, documents and offices, with the full count beside them */
  function total(count, list) { return Math.max(count || 0, list.length); }
  function more(count, list, word) {
    const n = total(count, list) - list.length;
    return n > 0 ? el('li', { class: 'pg-muted', text: '… and ' + plural(n, 'more ' + word) }) : null;
  }
  function nameKey(text) { return String(text || '').normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''); }
  function fmtDate(date) {
    if (!date) return 'undated';
    const m = /^--(\d\d)-(\d\d)$/.exec(date);
    return m ? m[1] + '-' + m[2] + ' (year not given)' : date;
  }
  function docLine(docId) {
    const d = meta.documents[docId];
    if (!d) return docId;
    return (d.title || d.file || docId) + ' · ' + fmtDate(d.date) + (d.source ? ' · ' + d.source : '');
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function swatch(shape, color, size) {
    const s = size || 16, h = s / 2, r = s / 2 - 1.5;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', s); svg.setAttribute('height', s); svg.setAttribute('class', 'pg-swatch');
    svg.setAttribute('viewBox', '0 0 ' + s + ' ' + s); svg.setAttribute('aria-hidden', 'true');
    let shapeEl;
    const poly = pts => { const p = document.createElementNS(SVG, 'polygon'); p.setAttribute('points', pts.map(q => q.join(',')).join(' ')); return p; };
    const around = (n, start, radius) => Array.from({ length: n }, (_, i) => {
      const a = start + i * 2 * Math.PI / n; return [h + radius * Math.cos(a), h + radius * Math.sin(a)];
    });
    if (shape === 'square' || shape === 'box') {
      shapeEl = document.createElementNS(SVG, 'rect');
      const inset = shape === 'box' ? 1.5 : 2.5;
      shapeEl.setAttribute('x', inset); shapeEl.setAttribute('y', shape === 'box' ? 4 : inset);
      shapeEl.setAttribute('width', s - 2 * inset); shapeEl.setAttribute('height', shape === 'box' ? s - 8 : s - 2 * inset);
      shapeEl.setAttribute('rx', shape === 'box' ? 2 : 1);
    } else if (shape === 'diamond') shapeEl = poly(around(4, -Math.PI / 2, r));
    else if (shape === 'triangle') shapeEl = poly(around(3, -Math.PI / 2, r));
    else if (shape === 'triangleDown') shapeEl = poly(around(3, Math.PI / 2, r));
    else if (shape === 'hexagon') shapeEl = poly(around(6, 0, r));
    else if (shape === 'star') shapeEl = poly(Array.from({ length: 10 }, (_, i) => {
      const a = -Math.PI / 2 + i * Math.PI / 5, rad = i % 2 ? r * 0.45 : r; return [h + rad * Math.cos(a), h + rad * Math.sin(a)];
    }));
    else { shapeEl = document.createElementNS(SVG, 'circle'); shapeEl.setAttribute('cx', h); shapeEl.setAttribute('cy', h); shapeEl.setAttribute('r', r); }
    shapeEl.setAttribute('fill', color); shapeEl.setAttribute('stroke', 'rgba(0,0,0,0.35)'); shapeEl.setAttribute('stroke-width', '1');
    svg.appendChild(shapeEl);
    return svg;
  }
  function lineSwatch(color, dashed) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', 22); svg.setAttribute('height', 12); svg.setAttribute('class', 'pg-swatch');
    svg.setAttribute('aria-hidden', 'true');
    const line = document.createElementNS(SVG, 'line');
    line.setAttribute('x1', 1); line.setAttribute('y1', 6); line.setAttribute('x2', 15); line.setAttribute('y2', 6);
    line.setAttribute('stroke', color); line.setAttribute('stroke-width', 2.5);
    if (dashed) line.setAttribute('stroke-dasharray', '3 2');
    const head = document.createElementNS(SVG, 'polygon');
    head.setAttribute('points', '14,2 21,6 14,10'); head.setAttribute('fill', color);
    svg.append(line, head);
    return svg;
  }

  /* ---------- tooltips (DOM elements: vis shows them as they are) ---------- */
  function nodeTip(n) {
    const sub = [n.type].concat(n.roles || []).join(' · ');
    const tip = el('div', null, el('div', { class: 'pg-tip-title', text: n.name }), el('div', { class: 'pg-tip-sub', text: sub }));
    if (n.aliases && n.aliases.length) tip.append(el('div', { class: 'pg-tip-sub', text: 'also: ' + n.aliases.slice(0, 4).join(', ') }));
    return tip;
  }
  function edgeTip(e) {
    const from = byId.get(e.from), to = byId.get(e.to);
    const tip = el('div', null, el('div', { class: 'pg-tip-title', text: from.name + ' ' + e.label + ' ' + to.name }));
    if (e.type === 'MENTIONS') tip.append(el('div', { class: 'pg-tip-sub', text: plural(e.count || 1, 'mention') }));
    else tip.append(el('div', { class: 'pg-tip-sub', text: plural(total(e.evidenceCount, e.evidence), 'sentence') + ' from ' + plural(total(e.docCount, e.docs), 'document') + ' — click to read' }));
    return tip;
  }

  const byId = new Map(nodeList.map(n => [n.id, n]));
  for (const n of nodeList) n.title = nodeTip(n);
  for (const e of edgeList) e.title = edgeTip(e);
  const incident = new Map(nodeList.map(n => [n.id, []]));
  for (const e of edgeList) { incident.get(e.from).push(e); if (e.to !== e.from) incident.get(e.to).push(e); }

  const nodes = new vis.DataSet(nodeList);
  const edges = new vis.DataSet(edgeList);
  const container = document.getElementById('pg-network');
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  const hiddenTypes = new Set();
  const hiddenRelations = new Set();
  const state = { selected: null, stable: false };
  window.pgView = { network: network, nodes: nodes, edges: edges, meta: meta, state: state, select: selectNode };

  /* ---------- layout: stabilise, then stop physics so big graphs stay responsive ---------- */
  const loading = document.getElementById('pg-loading');
  const loadingText = document.getElementById('pg-loading-text');
  const bar = document.getElementById('pg-bar-fill');
  loadingText.textContent = 'Laying out ' + plural(nodeList.length, 'node') + '…';
  network.on('stabilizationProgress', p => { bar.style.width = Math.round(100 * p.iterations / p.total) + '%'; });
  network.once('stabilizationIterationsDone', () => {
    network.setOptions({ physics: { enabled: false } });
    bar.style.width = '100%';
    loading.classList.add('pg-done');
    setTimeout(() => { loading.hidden = true; }, 450);
    state.stable = true;
    window.pgStableAt = performance.now();
    document.body.dataset.stable = 'true';
    if (meta.focus && byId.has(meta.focus)) selectNode(meta.focus, { zoom: false, veil: false });
  });

  /* ---------- header summary ---------- */
  (function summary() {
    const shown = meta.shown, total = meta.total;
    let text = plural(shown.nodes, 'node') + ' · ' + plural(shown.edges, 'edge');
    if (shown.nodes < total.nodes) text += ' (of ' + total.nodes.toLocaleString('en') + ' nodes)';
    if (meta.filters.length) text += ' — ' + meta.filters.join('; ');
    document.getElementById('pg-summary').textContent = text;
  })();

  /* ---------- legend with filters ---------- */
  function legendItem(list, info, swatchEl, label, hiddenSet, apply) {
    const box = el('input', { type: 'checkbox', 'data-type': info.type });
    box.checked = true;
    const item = el('li', { 'data-type': info.type },
      el('label', null, box, swatchEl, el('span', { class: 'pg-name', text: label }), el('span', { class: 'pg-count', text: info.count.toLocaleString('en') })));
    box.addEventListener('change', () => {
      if (box.checked) hiddenSet.delete(info.type); else hiddenSet.add(info.type);
      item.classList.toggle('pg-off', !box.checked);
      apply();
    });
    list.append(item);
  }
  const typeList = document.getElementById('pg-types');
  for (const t of meta.types) legendItem(typeList, t, swatch(t.shape, t.color), t.type, hiddenTypes, applyTypeFilter);
  const relList = document.getElementById('pg-relations');
  for (const r of meta.relations) legendItem(relList, r, lineSwatch(r.color, r.type === 'MENTIONS'), r.label, hiddenRelations, applyRelationFilter);
  document.getElementById('pg-no-relations').hidden = meta.relations.length > 0;

  function applyTypeFilter() {
    nodes.update(nodeList.map(n => ({ id: n.id, hidden: hiddenTypes.has(n.type) })));
    if (state.selected && state.selected.kind === 'node' && hiddenTypes.has(byId.get(state.selected.id).type)) clearSelection();
  }
  function applyRelationFilter() {
    edges.update(edgeList.map(e => ({ id: e.id, hidden: hiddenRelations.has(e.type) })));
  }
  function showType(type) {
    if (!hiddenTypes.has(type)) return;
    const box = typeList.querySelector('input[data-type="' + CSS.escape(type) + '"]');
    box.checked = true;
    box.dispatchEvent(new Event('change'));
  }

  /* ---------- highlight a neighbourhood ----------
   * Rewriting the colour of thousands of items through the DataSet takes vis-network
   * about a second; instead the page veils the drawn canvas and draws the neighbourhood
   * again on top, so a click costs one redraw whatever the graph's size. */
  const focus = { nodes: null, edges: null };
  network.on('afterDrawing', ctx => {
    if (!focus.nodes) return;
    const a = network.DOMtoCanvas({ x: 0, y: 0 });
    const b = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = 'rgba(255,255,255,0.86)';
    ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
    ctx.restore();
    const body = network.body, labels = [];
    const shownEdges = Array.from(focus.edges, id => body.edges[id]).filter(e => e && e.connected);
    for (const e of shownEdges) e.draw(ctx);
    for (const e of shownEdges) e.drawArrows(ctx);
    for (const id of focus.nodes) {
      const n = body.nodes[id];
      if (!n || n.options.hidden) continue;
      const drawn = n.draw(ctx);
      if (drawn && drawn.drawExternalLabel) labels.push(drawn.drawExternalLabel);
    }
    for (const draw of labels) draw();
  });
  function highlight(nodeIds, edgeIds) {
    focus.nodes = nodeIds;
    focus.edges = edgeIds || new Set();
    network.redraw();
  }
  function neighbourhood(id) {
    const ids = new Set([id]), eids = new Set();
    for (const e of incident.get(id) || []) {
      if (hiddenRelations.has(e.type)) continue;
      ids.add(e.from); ids.add(e.to); eids.add(e.id);
    }
    return [ids, eids];
  }

  function selectNode(id, how) {
    const n = byId.get(id);
    if (!n) return;
    showType(n.type);
    state.selected = { kind: 'node', id: id };
    network.selectNodes([id]);
    if (how && how.veil === false) highlight(null, null);  // a --focus page is already the neighbourhood
    else highlight(...neighbourhood(id));
    showNodePanel(n);
    if (!how || how.zoom !== false) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 450, easingFunction: 'easeInOutQuad' } });
    }
  }
  function selectEdge(eid) {
    const e = edges.get(eid);
    if (!e) return;
    state.selected = { kind: 'edge', id: eid };
    network.selectEdges([eid]);
    highlight(new Set([e.from, e.to]), new Set([eid]));
    showEdgePanel(e);
  }
  function clearSelection() {
    state.selected = null;
    network.unselectAll();
    highlight(null, null);
    showOverview();
  }

  network.on('click', params => {
    if (params.nodes.length) selectNode(params.nodes[0], { zoom: false });
    else if (params.edges.length) selectEdge(params.edges[0]);
    else clearSelection();
  });
  document.getElementById('pg-reset').addEventListener('click', () => {
    clearSelection();
    searchBox.value = '';
    network.fit({ animation: { duration: 400 } });
  });

  /* ---------- details panel ---------- */
  const panel = document.getElementById('pg-panel');
  function nodeLink(id) {
    const n = byId.get(id);
    return el('button', { class: 'pg-link', type: 'button', text: n ? n.name : id, onclick: () => selectNode(id) });
  }
  function relChip(type) {
    const info = relInfo.get(type) || { color: '#999', label: type.toLowerCase() };
    return el('span', { class: 'pg-rel', text: info.label, style: { background: info.color } });
  }
  function typeChip(type) {
    const info = typeInfo.get(type) || { color: '#999', shape: 'dot' };
    return el('span', { class: 'pg-chip pg-type', style: { background: info.color } }, type);
  }
  function facts(pairs) {
    const dl = el('dl', { class: 'pg-facts' });
    for (const [k, v] of pairs) if (v !== undefined && v !== null && v !== '') dl.append(el('dt', { text: k }), el('dd', null, v));
    return dl;
  }

  function showOverview() {
    clear(panel);
    panel.append(el('h2', { text: 'Overview' }),
      el('p', { class: 'pg-muted', text: 'Search above, or click a node or an edge. The most important nodes in this view:' }));
    const list = el('ol', { class: 'pg-list' });
    for (const n of nodeList.slice().sort((a, b) => a.rank - b.rank).slice(0, 12)) {
      list.append(el('li', null, swatch(typeInfo.get(n.type).shape, typeInfo.get(n.type).color, 12), nodeLink(n.id),
        el('span', { class: 'pg-muted', text: plural(incident.get(n.id).length, 'edge') })));
    }
    panel.append(list);
    const docs = Object.keys(meta.documents);
    if (docs.length) {
      panel.append(el('h3', { text: 'Sources (' + docs.length + ')' }));
      const dl = el('ul', { class: 'pg-list' });
      const newest = docs.sort((a, b) => (meta.documents[b].date || '').localeCompare(meta.documents[a].date || ''));
      for (const d of newest.slice(0, 25)) dl.append(el('li', { text: docLine(d) }));
      if (newest.length > 25) dl.append(el('li', { class: 'pg-muted', text: '… and ' + (newest.length - 25).toLocaleString('en') + ' more' }));
      panel.append(dl);
    }
  }

  function showNodePanel(n) {
    clear(panel);
    panel.append(el('h2', { text: n.name }));
    const chips = el('div', { class: 'pg-chips' }, typeChip(n.type));
    for (const r of n.roles) chips.append(el('span', { class: 'pg-chip', text: r }));
    panel.append(chips);
    const deg = incident.get(n.id).length;
    panel.append(facts([
      ['Also known as', n.aliases.length ? n.aliases.join('; ') : null],
      ['Importance', '#' + n.rank + ' of ' + meta.total.nodes.toLocaleString('en') + ' (PageRank)'],
      ['In this view', plural(deg, 'edge')],
      ['Id', n.type === 'Document' ? n.docId : n.id],
    ]));
    if (n.type === 'Document') {
      const d = meta.documents[n.docId] || {};
      panel.append(facts([['Date', fmtDate(d.date)], ['Source', d.source], ['File', d.file]]));
    }
    if (n.offices.length) {
      panel.append(el('h3', { text: 'Offices stated' }));
      const list = el('ul', { class: 'pg-list' });
      for (const o of n.offices) list.append(el('li', null, el('strong', { text: o.role }), ' — ' + (o.doc ? docLine(o.doc) : fmtDate(o.date))));
      list.append(more(n.officeCount, n.offices, 'office') || '');
      panel.append(list);
    }
    const rels = incident.get(n.id).filter(e => e.type !== 'MENTIONS');
    if (rels.length) {
      panel.append(el('h3', { text: 'Relations (' + rels.length + ')' }));
      const list = el('ul', { class: 'pg-list' });
      for (const e of rels) {
        const out = e.from === n.id, other = out ? e.to : e.from;
        list.append(el('li', null, out ? null : nodeLink(other), out ? null : el('span', { class: 'pg-arrow', text: '→' }), relChip(e.type),
          out ? el('span', { class: 'pg-arrow', text: '→' }) : null, out ? nodeLink(other) : el('span', { class: 'pg-muted', text: 'this' }), ' ',
          el('button', { class: 'pg-link', type: 'button', text: '(' + plural(total(e.evidenceCount, e.evidence), 'sentence') + ')', onclick: () => selectEdge(e.id) })));
      }
      panel.append(list);
    }
    const docs = n.type === 'Document' ? [] : n.docs;
    if (docs.length) {
      panel.append(el('h3', { text: 'Mentioned in ' + plural(total(n.docCount, docs), 'document') }));
      const list = el('ul', { class: 'pg-list' });
      const newest = docs.slice().sort((a, b) => ((meta.documents[b] || {}).date || '').localeCompare((meta.documents[a] || {}).date || ''));
      for (const d of newest.slice(0, 50)) list.append(el('li', { text: docLine(d) }));
      const hidden = total(n.docCount, docs) - Math.min(newest.length, 50);
      if (hidden > 0) list.append(el('li', { class: 'pg-muted', text: '… and ' + hidden.toLocaleString('en') + ' more' }));
      panel.append(list);
    }
    if (n.type === 'Document') {
      const named = incident.get(n.id).filter(e => e.type === 'MENTIONS');
      if (named.length) {
        panel.append(el('h3', { text: 'Names ' + plural(named.length, 'entity') }));
        const list = el('ul', { class: 'pg-list' });
        for (const e of named) list.append(el('li', null, nodeLink(e.to)));
        panel.append(list);
      }
    }
  }

  function showEdgePanel(e) {
    clear(panel);
    const from = byId.get(e.from), to = byId.get(e.to);
    panel.append(el('h2', null, from.name, ' ', relChip(e.type), el('span', { class: 'pg-arrow', text: '→' }), to.name));
    panel.append(facts([
      ['From', nodeLink(e.from)], ['To', nodeLink(e.to)],
      ['Stated in', e.type === 'MENTIONS' ? null : plural(total(e.docCount, e.docs), 'document')],
      ['Confidence', typeof e.confidence === 'number' ? e.confidence.toFixed(2) : null],
      ['Rules', e.rules && e.rules.length ? e.rules.join(', ') : null],
      ['Mentions', e.type === 'MENTIONS' ? String(e.count || 1) + (e.surfaces.length ? ' as ' + e.surfaces.join('; ') : '') : null],
    ]));
    if (e.evidence.length) {
      panel.append(el('h3', { text: 'Evidence' }));
      for (const ev of e.evidence) {
        panel.append(el('div', { class: 'pg-evidence' }, el('blockquote', { text: ev.text }), el('cite', { text: ev.doc ? docLine(ev.doc) + ' (' + ev.doc + ')' : 'source not recorded' })));
      }
      const rest = total(e.evidenceCount, e.evidence) - e.evidence.length;
      if (rest > 0) panel.append(el('p', { class: 'pg-muted', text: '… and ' + plural(rest, 'more sentence') + ' (policygraph query evidence lists them all)' }));
    } else if (e.docs.length) {
      panel.append(el('h3', { text: 'Sources' }));
      const list = el('ul', { class: 'pg-list' });
      for (const d of e.docs) list.append(el('li', { text: docLine(d) }));
      list.append(more(e.docCount, e.docs, 'document') || '');
      panel.append(list);
    }
  }

  /* ---------- search by name or alias ---------- */
  const index = [];
  for (const n of nodeList) {
    index.push({ id: n.id, key: nameKey(n.name), alias: null });
    for (const a of n.aliases) index.push({ id: n.id, key: nameKey(a), alias: a });
    if (n.docId) index.push({ id: n.id, key: nameKey(n.docId), alias: n.docId });
  }
  const searchBox = document.getElementById('pg-search');
  const suggest = document.getElementById('pg-suggest');
  let matches = [], active = 0;

  function find(query) {
    const q = nameKey(query);
    if (!q) return [];
    const best = new Map();
    for (const entry of index) {
      const at = entry.key.indexOf(q);
      if (at < 0) continue;
      const score = (entry.key === q ? 0 : at === 0 ? 1 : 2) + (entry.alias ? 0.5 : 0);
      const prev = best.get(entry.id);
      if (!prev || score < prev.score) best.set(entry.id, { id: entry.id, score: score, alias: entry.alias });
    }
    return Array.from(best.values())
      .sort((a, b) => a.score - b.score || byId.get(a.id).rank - byId.get(b.id).rank)
      .slice(0, 10);
  }
  function renderSuggestions() {
    clear(suggest);
    if (!searchBox.value.trim()) { suggest.hidden = true; return; }
    if (!matches.length) {
      suggest.append(el('li', { class: 'pg-none', text: 'No node matches “' + searchBox.value.trim() + '”' }));
    }
    matches.forEach((m, i) => {
      const n = byId.get(m.id), info = typeInfo.get(n.type);
      const li = el('li', { role: 'option', 'aria-selected': i === active ? 'true' : 'false', 'data-id': m.id },
        swatch(info.shape, info.color, 12), el('span', { text: n.name }),
        el('span', { class: 'pg-match', text: m.alias ? 'as “' + m.alias + '”' : n.type }));
      li.addEventListener('mousedown', ev => { ev.preventDefault(); choose(i); });
      suggest.append(li);
    });
    suggest.hidden = false;
  }
  function choose(i) {
    const m = matches[i];
    if (!m) return;
    suggest.hidden = true;
    searchBox.value = byId.get(m.id).name;
    selectNode(m.id);
  }
  searchBox.addEventListener('input', () => { matches = find(searchBox.value); active = 0; renderSuggestions(); });
  searchBox.addEventListener('keydown', ev => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (!matches.length) return;
      active = (active + (ev.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      renderSuggestions();
      ev.preventDefault();
    } else if (ev.key === 'Enter') {
      matches = find(searchBox.value);
      choose(Math.min(active, matches.length - 1));
      ev.preventDefault();
    } else if (ev.key === 'Escape') {
      suggest.hidden = true;
    }
  });
  searchBox.addEventListener('blur', () => { suggest.hidden = true; });
  document.addEventListener('keydown', ev => {
    if (ev.key === '/' && document.activeElement !== searchBox) { ev.preventDefault(); searchBox.focus(); searchBox.select(); }
  });

  showOverview();
})();
