/* stakegraph map page: reads the JSON data block, draws it with vis-network and
   wires the overlays, filters and (in the widget) the parent-window messages.
   Every text reaches the DOM through textContent; nothing is parsed as HTML. */
(function start() {
  "use strict";

  var data = JSON.parse(document.getElementById("map-data").textContent);
  /* each node (edge) names its style by an index "s" into nodeStyles (edgeStyles):
     the few distinct styles travel once */
  function whole(items, styles) {
    if (!styles) { return items; }
    return items.map(function (item) {
      var u = Object.assign({}, item.s === undefined ? {} : styles[item.s], item);
      delete u.s;
      return u;
    });
  }
  data.nodes = whole(data.nodes, data.nodeStyles);
  data.edges = whole(data.edges, data.edgeStyles);
  var S = data.strings;
  var state = {
    ready: false,
    stabilizedMs: null,
    scriptStartMs: performance.now(),
    nodeCount: data.nodes.length,
    edgeCount: data.edges.length,
    posted: []
  };
  window.stakegraph = state;

  var NARROW = 960;
  var overlay = { brokers: false, holes: false, whatif: false, reps: data.overlays.reps, path: "", dept: "", role: "" };
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var whatifByNode = {};
  data.whatif.forEach(function (w) { whatifByNode[w.node] = w; });
  var brokerNodes = {};
  (data.brokers || []).forEach(function (b) { brokerNodes[b.node] = true; });
  var holeNodes = {};
  data.holes.forEach(function (h) {
    h.nodes.forEach(function (k) { holeNodes[k] = true; });
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function t(key, fallback) {
    return Object.prototype.hasOwnProperty.call(S, key) ? S[key] : (fallback || key);
  }

  function row(dl, label, value) {
    dl.appendChild(el("dt", null, label));
    dl.appendChild(el("dd", null, value === null || value === undefined || value === "" ? "—" : value));
  }

  function pct(x) { return Math.round(x * 100) + "%"; }

  function tooltip(n) {
    var m = n.meta;
    var box = el("div", "tip");
    box.appendChild(el("h4", null, m.name));
    if (m.kind === "rep") {
      box.appendChild(el("div", null, t("legend.rep")));
      return box;
    }
    if (m.kind !== "contact") {
      box.appendChild(el("div", null, t("legend." + m.kind, m.kind)));
      return box;
    }
    var flags = el("div");
    if (m.kdm) { flags.appendChild(el("span", "flag", t("tip.kdm"))); }
    if (m.status !== "ACTIVE") { flags.appendChild(el("span", "flag", t("status." + m.status, m.status))); }
    if (m.foreign) { flags.appendChild(el("span", "flag", t("tip.foreign"))); }
    if (holeNodes[n.id]) { flags.appendChild(el("span", "flag", t("tip.hole"))); }
    if (flags.childNodes.length) { box.appendChild(flags); }
    var dl = el("dl");
    row(dl, t("tip.title"), m.title);
    row(dl, t("tip.department"), m.department);
    row(dl, t("tip.role"), m.roles.map(function (r) { return t("role." + r, r); }).join(", ") || t("role.NONE"));
    row(dl, t("tip.stance"), t("stance." + m.stance, m.stance));
    row(dl, t("tip.level"), String(m.level));
    row(dl, t("tip.last_touch"), m.lastTouch || t("tip.never"));
    row(dl, t("tip.influence"), m.influence === null ? null : m.influence.toFixed(2));
    box.appendChild(dl);
    var w = whatifByNode[n.id];
    if (w) { box.appendChild(el("div", "gain", whatifText(w))); }
    return box;
  }

  function whatifText(w) {
    var parts = [t("tip.whatif") + ":"];
    if (w.ratioGain) { parts.push(t("tip.ratio") + " +" + pct(w.ratioGain)); }
    if (w.gradeBefore && w.gradeAfter && w.gradeBefore !== w.gradeAfter) {
      parts.push(t("tip.grade") + " " + t("grade." + w.gradeBefore, w.gradeBefore) + " → " +
        t("grade." + w.gradeAfter, w.gradeAfter));
    }
    if (w.scoreGain) { parts.push(t("tip.score") + " +" + w.scoreGain); }
    if (w.closes.length) {
      parts.push(t("tip.closes") + " " + w.closes.map(function (c) { return t("role." + c, c); }).join(", "));
    }
    return parts.join(" ");
  }

  function edgeTip(e) {
    var m = e.meta;
    var text = t("edge." + m.kind, m.kind);
    if (m.kind === "KNOWS") { text += " · " + t("tip.level") + " " + m.level; }
    if (m.strength) { text += " · " + m.strength; }
    return el("div", "tip", text);
  }

  /* ------------------------------------------------------------ org chart
     A tidy tree laid out here (so opening or closing a department re-lays it out):
     a subtree owns a horizontal slot; a parent's leaf children are stacked in
     columns of STACK; cards are narrower than a column and shorter than a row, so
     no two cards overlap. Departments past a size start closed (data.org.collapsed);
     if the chart would still draw its labels under MIN_PX at "fit", the largest open
     departments close too: fewer, larger things. */

  var org = data.org;
  var COLUMN = 160, ROW = 130, STACK_ROW = 78, STACK = 6, INDENT = 30;
  var MIN_PX = 12, MAX_SCALE = 1.25;
  var collapsed = {};
  var orgPos = {}, orgHidden = {}, parentOf = {};
  if (org) {
    org.collapsed.forEach(function (k) { collapsed[k] = true; });
    Object.keys(org.children).forEach(function (p) {
      org.children[p].forEach(function (c) { if (!parentOf[c]) { parentOf[c] = p; } });
    });
  }

  function isDept(k) { return byId[k] && byId[k].meta.kind === "department"; }

  function layoutOrg() {
    var pos = {}, seen = {};
    function kids(k) {
      if (collapsed[k]) { return []; }
      return (org.children[k] || []).filter(function (c) { return !seen[c] && byId[c]; });
    }
    function place(k, y, x0) {
      seen[k] = true;
      var mine = kids(k);
      mine.forEach(function (c) { seen[c] = true; });
      if (!mine.length) { pos[k] = [x0 + COLUMN / 2, y]; return [x0 + COLUMN / 2, COLUMN]; }
      var leaves = mine.filter(function (c) { return !kids(c).length && !isDept(c); });
      var inner = mine.filter(function (c) { return leaves.indexOf(c) < 0; });
      var x = x0, centres = [];
      if (leaves.length > 1) {
        var cols = Math.ceil(leaves.length / STACK);
        leaves.forEach(function (c, j) {
          var col = Math.floor(j / STACK), r = j % STACK;
          pos[c] = [x + INDENT + col * COLUMN + COLUMN / 2, y + ROW + r * STACK_ROW];
        });
        centres.push(x + INDENT + (cols - 1) * COLUMN / 2 + COLUMN / 2);
        x += INDENT + cols * COLUMN;
      } else {
        inner = mine;
      }
      inner.forEach(function (c) {
        delete seen[c];
        var placed = place(c, y + ROW, x);
        centres.push(placed[0]);
        x += placed[1];
      });
      var centre = (Math.min.apply(null, centres) + Math.max.apply(null, centres)) / 2;
      pos[k] = [centre, y];
      return [centre, x - x0];
    }
    place(org.root, 0, 0);
    return pos;
  }

  function openCount(k) {  /* cards a department shows when open */
    var n = 0;
    (org.children[k] || []).forEach(function (c) { n += 1 + (isDept(c) ? 0 : openCount(c)); });
    return n;
  }

  function extent(pos) {
    var xs = [], ys = [];
    Object.keys(pos).forEach(function (k) { xs.push(pos[k][0]); ys.push(pos[k][1]); });
    return {
      left: Math.min.apply(null, xs) - COLUMN / 2, right: Math.max.apply(null, xs) + COLUMN / 2,
      top: Math.min.apply(null, ys) - 50, bottom: Math.max.apply(null, ys) + 50
    };
  }

  function fitScale(box) {
    var c = document.getElementById("map");
    var w = Math.max(c.clientWidth, 200), h = Math.max(c.clientHeight, 150);
    return Math.min(w / (box.right - box.left), h / (box.bottom - box.top));
  }

  function minScale() {  /* the scale at which the smallest label is MIN_PX */
    var smallest = 99;
    Object.keys(orgPos).forEach(function (k) {
      var f = byId[k].font && byId[k].font.size;
      smallest = Math.min(smallest, f || data.options.nodes.font.size);
    });
    return MIN_PX / smallest;
  }

  function deptLabel(n) {
    var m = n.meta;
    var head = (collapsed[n.id] ? "\u25b8 " : "\u25be ") + n.label;
    var line = m.people + " " + t("dept.people") + " \u00b7 " + m.covered + " " + t("dept.covered");
    if (m.kdm) { line += " \u00b7 " + t("kdm.short") + " " + m.kdmCovered + "/" + m.kdm; }
    return head + "\n" + line;
  }

  var COVERAGE_FILL = { covered: "#D9F0E3", partial: "#FFF3C4", none: "#F9D9D0" };

  function computeOrg() {
    orgPos = layoutOrg();
    orgHidden = {};
    data.nodes.forEach(function (n) {
      if (n.meta.kind !== "rep" && !orgPos[n.id]) { orgHidden[n.id] = true; }
    });
    var reps = data.nodes.filter(function (n) { return n.meta.kind === "rep"; });
    if (reps.length) {
      var box = extent(orgPos);
      reps.forEach(function (n, i) {
        orgPos[n.id] = [box.left + COLUMN / 2 + i * COLUMN, -ROW];
      });
    }
  }

  function orgNode(n, u) {
    if (!org) { return u; }
    var p = orgPos[n.id];
    if (p) { u.x = p[0]; u.y = p[1]; }
    if (orgHidden[n.id]) { u.hidden = true; }
    if (n.meta.kind === "department") {
      u.label = deptLabel(n);
      u.color = collapsed[n.id]
        ? { background: COVERAGE_FILL[n.meta.coverage], border: "#5A5A5A" }
        : n.color;
    }
    return u;
  }

  function firstOrgView() {
    /* close the largest open departments while that makes the chart fit at MIN_PX */
    computeOrg();
    var tried = {}, guard = 0;
    while (fitScale(extent(orgPos)) < minScale() && guard++ < 500) {
      var open = Object.keys(orgPos).filter(function (k) {
        return isDept(k) && !collapsed[k] && !tried[k] && (org.children[k] || []).length;
      });
      if (!open.length) { break; }
      open.sort(function (a, b) { return openCount(b) - openCount(a); });
      var before = fitScale(extent(orgPos));
      tried[open[0]] = true;
      collapsed[open[0]] = true;
      computeOrg();
      if (fitScale(extent(orgPos)) <= before) { delete collapsed[open[0]]; computeOrg(); }
    }
  }

  function orgInitialView() {
    var box = extent(orgPos), lo = minScale();
    var scale = Math.min(Math.max(fitScale(box), lo), MAX_SCALE);
    var c = document.getElementById("map");
    var cx = (box.left + box.right) / 2, cy = (box.top + box.bottom) / 2;
    if (fitScale(box) < lo) {  /* too big even so: start at the top, readable */
      cx = orgPos[org.root][0];
      cy = box.top + c.clientHeight / 2 / scale;
    }
    network.moveTo({ position: { x: cx, y: cy }, scale: scale, animation: false });
  }

  /* before the first layout: a narrow frame (a CRM side panel) starts with the sidebar closed */
  if (window.innerWidth < NARROW) {
    var panel0 = document.getElementById("panel");
    panel0.hidden = true;
    document.getElementById("toggle-panel").setAttribute("aria-expanded", "false");
  }

  if (org) { firstOrgView(); }

  /* A card folded into a closed department is not in the network at all (vis-network
     builds every node it holds, hidden or not: 3,000 of them cost most of a second);
     restyle() adds the cards a department shows when it opens and removes them when
     it closes. Filters and the reps switch still hide (the node stays, hidden). */
  function folded(n) { return !!(org && orgHidden[n.id]); }

  function fullNode(n) {
    var u = Object.assign({}, n, { title: tooltip(n) });
    if (org) {
      orgNode(n, u);
      if (n.meta.kind === "rep") { u.hidden = !overlay.reps; }
    }
    return u;
  }

  var inNet = {};  /* node id -> true while the network holds it */
  var nodes = new vis.DataSet(data.nodes.filter(function (n) { return !folded(n); }).map(function (n) {
    inNet[n.id] = true;
    return fullNode(n);
  }));

  function fullEdge(e) {
    var u = Object.assign({}, e, { title: edgeTip(e) });
    if (org) {
      var ends = nodes.get([e.from, e.to]);
      u.hidden = ends.some(function (n) { return !n || n.hidden; });
    }
    return u;
  }

  var edgeInNet = {};
  var edges = new vis.DataSet(data.edges.filter(function (e) {
    return inNet[e.from] && inNet[e.to];
  }).map(function (e) {
    edgeInNet[e.id] = true;
    return fullEdge(e);
  }));

  /* what the view holds: the network's nodes and edges, plus those folded away */
  state.counts = function () {
    var n = 0, m = 0;
    data.nodes.forEach(function (x) { if (!inNet[x.id]) { n++; } });
    data.edges.forEach(function (x) { if (!edgeInNet[x.id]) { m++; } });
    return { nodes: nodes.length, edges: edges.length, foldedNodes: n, foldedEdges: m };
  };

  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  state.network = network;
  var statusEl = document.getElementById("status");

  function markReady() {
    if (state.ready) { return; }
    state.ready = true;
    state.stabilizedMs = performance.now();
    statusEl.classList.add("done");
    document.body.setAttribute("data-ready", "true");
  }

  if (data.options.physics && data.options.physics.enabled) {
    network.on("stabilizationProgress", function (p) {
      statusEl.textContent = t("loading") + " " + Math.round((100 * p.iterations) / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      markReady();
    });
  } else {
    if (org) { orgInitialView(); }
    network.once("afterDrawing", markReady);
  }

  /* ------------------------------------------------------------- overlays */

  function pathOf(key) {
    var found = data.paths[key];
    return found && found.length ? found : [];
  }

  function currentPathSets() {
    var nodesOn = {}, pairs = {};
    pathOf(overlay.path).forEach(function (p, i) {
      p.nodes.forEach(function (k) { nodesOn[k] = true; });
      for (var j = 1; j < p.nodes.length; j++) {
        pairs[p.nodes[j - 1] + "\u0000" + p.nodes[j]] = i === 0 ? 2 : 1;
        pairs[p.nodes[j] + "\u0000" + p.nodes[j - 1]] = i === 0 ? 2 : 1;
      }
    });
    return { nodes: nodesOn, pairs: pairs };
  }

  function visibleByFilter(n) {
    var m = n.meta;
    if (m.kind === "rep") { return overlay.reps; }
    if (m.kind !== "contact") { return true; }
    if (overlay.dept && m.departmentIds.indexOf(overlay.dept) < 0) { return false; }
    if (overlay.role === "NONE" && m.roles.length) { return false; }
    if (overlay.role && overlay.role !== "NONE" && m.roles.indexOf(overlay.role) < 0) { return false; }
    return true;
  }

  function restyle() {
    var path = currentPathSets();
    var pathOn = overlay.path !== "";
    var hidden = {};
    var nodeUpdates = [], nodeAdds = [], nodeRemoves = [];
    data.nodes.forEach(function (n) {
      if (folded(n)) {
        hidden[n.id] = true;
        if (inNet[n.id]) { nodeRemoves.push(n.id); delete inNet[n.id]; }
        return;
      }
      var u = { id: n.id, hidden: !visibleByFilter(n), shadow: { enabled: false }, label: n.label, opacity: n.opacity };
      orgNode(n, u);
      if (u.hidden) { hidden[n.id] = true; }
      if (overlay.holes && holeNodes[n.id]) {
        u.shadow = { enabled: true, color: "rgba(204,121,167,1)", size: 30, x: 0, y: 0 };
      }
      if (overlay.brokers && brokerNodes[n.id]) {
        u.shadow = { enabled: true, color: "rgba(0,114,178,1)", size: 30, x: 0, y: 0 };
      }
      var w = whatifByNode[n.id];
      if (overlay.whatif && w) {
        u.shadow = { enabled: true, color: "rgba(123,50,148,0.9)", size: 24, x: 0, y: 0 };
        u.label = n.label + (w.ratioGain ? " (+" + pct(w.ratioGain) + ")" : " (+" + (w.scoreGain || 0).toFixed(1) + ")");
      }
      if (pathOn) {
        if (path.nodes[n.id]) {
          u.opacity = 1;
          u.shadow = { enabled: true, color: "rgba(0,0,0,0.6)", size: 16, x: 0, y: 0 };
        } else {
          u.opacity = 0.15;
        }
      }
      if (inNet[n.id]) {
        nodeUpdates.push(u);
      } else {
        inNet[n.id] = true;
        nodeAdds.push(Object.assign(fullNode(n), u));
      }
    });
    var edgeUpdates = [], edgeAdds = [], edgeRemoves = [];
    data.edges.forEach(function (e) {
      if (!inNet[e.from] || !inNet[e.to]) {
        if (edgeInNet[e.id]) { edgeRemoves.push(e.id); delete edgeInNet[e.id]; }
        return;
      }
      var u = { id: e.id, hidden: !!(hidden[e.from] || hidden[e.to]), width: e.width, color: Object.assign({ opacity: 1 }, e.color) };
      if (pathOn) {
        var on = path.pairs[e.from + "\u0000" + e.to];
        if (on) {
          u.width = on === 2 ? 6 : 4;
          u.color = { color: "#111111", opacity: 1 };
        } else {
          u.color = { color: (e.color && e.color.color) || "#999", opacity: 0.15 };
        }
      }
      if (edgeInNet[e.id]) {
        edgeUpdates.push(u);
      } else {
        edgeInNet[e.id] = true;
        edgeAdds.push(Object.assign({}, e, { title: edgeTip(e) }, u));
      }
    });
    edges.remove(edgeRemoves);
    nodes.remove(nodeRemoves);
    nodes.update(nodeUpdates);
    nodes.add(nodeAdds);
    edges.update(edgeUpdates);
    edges.add(edgeAdds);
    edges.remove(edges.getIds({ filter: function (e) { return e.overlay === true; } }));
    if (pathOn) { addMissingPathEdges(path); }
  }

  function addMissingPathEdges(path) {
    var have = {};
    data.edges.forEach(function (e) { have[e.from + "\u0000" + e.to] = true; have[e.to + "\u0000" + e.from] = true; });
    var extra = [];
    Object.keys(path.pairs).forEach(function (pair) {
      var ends = pair.split("\u0000");
      if (have[pair] || !byId[ends[0]] || !byId[ends[1]] || ends[0] > ends[1]) { return; }
      extra.push({
        id: "path|" + pair, from: ends[0], to: ends[1], overlay: true, dashes: [6, 4],
        width: path.pairs[pair] === 2 ? 5 : 3, color: { color: "#111111" }, arrows: "",
        physics: false, smooth: { type: "curvedCCW", roundness: 0.2 }
      });
    });
    edges.add(extra);
  }

  function fillPathList() {
    var list = document.getElementById("path-list");
    list.textContent = "";
    if (!overlay.path) { return; }
    var found = pathOf(overlay.path);
    if (!found.length) {
      list.appendChild(el("li", null, t("path.none")));
      return;
    }
    found.forEach(function (p) {
      var names = p.nodes.map(function (k) { return byId[k] ? byId[k].meta.name : k.split(":").slice(1).join(":"); });
      list.appendChild(el("li", null, names.join(" → ") + " (" + t("path.probability") + " " + p.p.toFixed(2) + ")"));
    });
  }

  function fillWhatifList() {
    var list = document.getElementById("whatif-list");
    list.textContent = "";
    list.hidden = !overlay.whatif;
    if (!overlay.whatif) { return; }
    if (!data.whatif.length) { list.appendChild(el("li", null, t("whatif.none"))); return; }
    data.whatif.slice(0, 10).forEach(function (w) {
      var n = byId[w.node];
      list.appendChild(el("li", null, (n ? n.meta.name : w.node) + ": " + whatifText(w)));
    });
  }

  function fillPathOptions() {
    var select = document.getElementById("ov-path");
    while (select.options.length > 1) { select.remove(1); }  /* a rebuild fills it again */
    var keys = Object.keys(data.paths).filter(function (k) { return byId[k]; });
    keys.sort(function (a, b) { return byId[a].meta.name.localeCompare(byId[b].meta.name); });
    keys.forEach(function (k) {
      var o = el("option", null, byId[k].meta.name + (byId[k].meta.kdm ? " · " + t("kdm.short") : ""));
      o.value = k;
      select.appendChild(o);
    });
  }

  function bind(id, event, fn) {
    var node = document.getElementById(id);
    if (node) { node["on" + event] = fn; }  /* one handler: a rebuild replaces it */
  }

  bind("ov-holes", "change", function (e) { overlay.holes = e.target.checked; restyle(); });
  bind("ov-brokers", "change", function (e) { overlay.brokers = e.target.checked; restyle(); });
  bind("ov-whatif", "change", function (e) { overlay.whatif = e.target.checked; restyle(); fillWhatifList(); });
  bind("ov-reps", "change", function (e) { overlay.reps = e.target.checked; restyle(); });
  bind("ov-path", "change", function (e) { overlay.path = e.target.value; restyle(); fillPathList(); });
  bind("f-dept", "change", function (e) { overlay.dept = e.target.value; restyle(); });
  bind("f-role", "change", function (e) { overlay.role = e.target.value; restyle(); });
  bind("zoom-in", "click", function () { network.moveTo({ scale: network.getScale() * 1.4 }); });
  bind("zoom-out", "click", function () { network.moveTo({ scale: network.getScale() / 1.4 }); });
  bind("zoom-fit", "click", function () { network.fit(); });
  bind("toggle-panel", "click", function (e) {
    var panel = document.getElementById("panel");
    panel.hidden = !panel.hidden;
    e.currentTarget.setAttribute("aria-expanded", String(!panel.hidden));
  });

  network.on("doubleClick", function (params) {
    if (!params.nodes.length || !data.paths[params.nodes[0]]) { return; }
    overlay.path = params.nodes[0];
    document.getElementById("ov-path").value = overlay.path;
    restyle();
    fillPathList();
  });

  /* -------------------------------------------- org: open/close, search */

  function chainOf(k) {  /* the contact and its managers, up to the top */
    var chain = [], seen = {};
    while (k && byId[k] && !seen[k]) {
      seen[k] = true;
      chain.push(k);
      k = byId[k].meta.manager;
    }
    return chain;
  }

  function openTo(k) {  /* open every department above k */
    var p = parentOf[k], guard = 0;
    while (p && guard++ < 1000) {
      if (collapsed[p]) { delete collapsed[p]; }
      p = parentOf[p];
    }
  }

  function relayout() { computeOrg(); restyle(); }

  function focusContact(k) {
    var chain = chainOf(k);
    chain.forEach(openTo);
    relayout();
    network.unselectAll();
    network.selectNodes(chain, false);
    var xs = chain.map(function (c) { return orgPos[c][0]; });
    var ys = chain.map(function (c) { return orgPos[c][1]; });
    var box = {
      left: Math.min.apply(null, xs) - COLUMN / 2, right: Math.max.apply(null, xs) + COLUMN / 2,
      top: Math.min.apply(null, ys) - 40, bottom: Math.max.apply(null, ys) + 40
    };
    var lo = minScale(), fit = fitScale(box);
    var scale = Math.min(Math.max(fit, lo), MAX_SCALE);
    var at = fit >= lo
      ? { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 }
      : { x: orgPos[k][0], y: orgPos[k][1] };
    network.moveTo({ position: at, scale: scale, animation: false });
    state.focused = k;
    state.chain = chain;
  }

  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    return data.nodes.filter(function (n) {
      var m = n.meta;
      return m.kind === "contact" && (m.name.toLowerCase().indexOf(q) >= 0 ||
        (m.title || "").toLowerCase().indexOf(q) >= 0);
    }).slice(0, 8);
  }

  function showMatches() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    list.textContent = "";
    var found = matches(input.value);
    list.hidden = !input.value.trim();
    if (!found.length && input.value.trim()) { list.appendChild(el("li", "none", t("search.none"))); }
    found.forEach(function (n) {
      var li = el("li");
      var b = el("button", null, n.meta.name + (n.meta.title ? " \u00b7 " + n.meta.title : ""));
      b.type = "button";
      b.setAttribute("data-node", n.id);
      b.addEventListener("click", function () { list.hidden = true; focusContact(n.id); });
      li.appendChild(b);
      list.appendChild(li);
    });
    return found;
  }

  if (org) {
    bind("search", "input", showMatches);
    bind("search", "keydown", function (e) {
      if (e.key !== "Enter") { return; }
      e.preventDefault();
      var found = showMatches();
      if (found.length) { document.getElementById("search-results").hidden = true; focusContact(found[0].id); }
    });
    network.on("click", function (params) {
      if (params.nodes.length !== 1 || !isDept(params.nodes[0])) { return; }
      var k = params.nodes[0];
      if (collapsed[k]) { delete collapsed[k]; } else { collapsed[k] = true; }
      relayout();
      network.moveTo({ position: { x: orgPos[k][0], y: orgPos[k][1] + ROW }, animation: false });
    });
    state.focusContact = focusContact;
    state.toggle = function (k) { if (collapsed[k]) { delete collapsed[k]; } else { collapsed[k] = true; } relayout(); };
    state.collapsed = function () { return Object.keys(collapsed).sort(); };
  }

  fillPathOptions();
  if (!overlay.reps) { restyle(); }
  state.setOverlay = function (name, value) {
    overlay[name] = value;
    restyle();
    fillPathList();
    fillWhatifList();
  };

  /* ---------------------------------------------------- widget messages */

  function parentOrigin() {
    if (window.parent === window) { return null; }
    var ancestors = window.location.ancestorOrigins;
    if (ancestors && ancestors.length) { return ancestors[0]; }
    try {
      return document.referrer ? new URL(document.referrer).origin : null;
    } catch (err) {
      return null;
    }
  }

  if (data.embed) {
    var allowed = data.embed.allowedOrigins || [];
    var target = parentOrigin();
    state.parentOrigin = target;
    state.parentAllowed = !!target && allowed.indexOf(target) >= 0;
    network.on("click", function (params) {
      if (!params.nodes.length || !state.parentAllowed) { return; }
      var n = byId[params.nodes[0]];
      if (!n || n.meta.kind !== "contact") { return; }
      var message = { type: "stakegraph:select", contactId: n.meta.contactId, accountId: data.account.id };
      window.parent.postMessage(message, target);
      state.posted.push(message);
    });
  }

  /* ------------------------------------------------ rebuild (after an edit) */

  state.data = data;
  /* Draw the map again from the #map-data block (the edit script replaces it with the
     fresh data): the new state replaces window.stakegraph. */
  state.rebuild = function () {
    network.destroy();
    start();
  };
})();
