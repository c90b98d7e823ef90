/* stakegraph map page: reads the JSON data block, draws it with vis-network and
   wires the overlays, filters and (in the widget) the parent-window messages.
   Every text reaches the DOM through textContent; nothing is parsed as HTML. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("map-data").textContent);
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

  var overlay = { holes: false, whatif: false, reps: data.overlays.reps, path: "", dept: "", role: "" };
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var whatifByNode = {};
  data.whatif.forEach(function (w) { whatifByNode[w.node] = w; });
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
      parts.push(t("tip.grade") + " " + w.gradeBefore + " → " + w.gradeAfter);
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

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({}, n, { title: tooltip(n) });
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return Object.assign({}, e, { title: edgeTip(e) });
  }));

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
    var nodeUpdates = data.nodes.map(function (n) {
      var u = { id: n.id, hidden: !visibleByFilter(n), shadow: { enabled: false }, label: n.label, opacity: n.opacity };
      if (u.hidden) { hidden[n.id] = true; }
      if (overlay.holes && holeNodes[n.id]) {
        u.shadow = { enabled: true, color: "rgba(204,121,167,1)", size: 30, x: 0, y: 0 };
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
      return u;
    });
    nodes.update(nodeUpdates);
    var edgeUpdates = data.edges.map(function (e) {
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
      return u;
    });
    edges.update(edgeUpdates);
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
    var keys = Object.keys(data.paths).filter(function (k) { return byId[k]; });
    keys.sort(function (a, b) { return byId[a].meta.name.localeCompare(byId[b].meta.name); });
    keys.forEach(function (k) {
      var o = el("option", null, byId[k].meta.name + (byId[k].meta.kdm ? " · KDM" : ""));
      o.value = k;
      select.appendChild(o);
    });
  }

  function bind(id, event, fn) {
    var node = document.getElementById(id);
    if (node) { node.addEventListener(event, fn); }
  }

  bind("ov-holes", "change", function (e) { overlay.holes = e.target.checked; restyle(); });
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
})();
