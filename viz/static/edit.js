/* stakegraph map editing: a panel on a clicked contact that calls the service's own
   GraphQL mutations with the page's write token (header X-Stakegraph-Token, never a
   cookie), then reads the map's fresh data back and redraws it in place; in the widget,
   each edit posts {type: "stakegraph:changed", ...} to the parent, only when the parent's
   origin is an allowed one. Every text reaches the DOM through textContent. Loaded only
   on served pages whose data carries "edit" (never in a standalone export). */
(function () {
  "use strict";

  var dataEl = document.getElementById("map-data");
  var data = JSON.parse(dataEl.textContent);
  var cfg = data.edit;
  var panel = document.getElementById("edit-panel");
  if (!cfg || !panel) { return; }
  var S = data.strings;
  var edit = { posted: [], errors: [], saved: 0, busy: false, contact: null };
  window.stakegraphEdit = edit;

  function t(key, fallback) {
    return Object.prototype.hasOwnProperty.call(S, key) ? S[key] : (fallback || key);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function select(name, values, label, current, multiple) {
    var s = el("select");
    s.name = name;
    s.id = "edit-" + name;
    if (multiple) { s.multiple = true; s.size = 4; }
    values.forEach(function (v) {
      var o = el("option", null, label(v));
      o.value = String(v);
      if (multiple ? current.indexOf(v) >= 0 : String(v) === String(current)) { o.selected = true; }
      s.appendChild(o);
    });
    return s;
  }

  function field(labelText, control) {
    var l = el("label", "block", labelText + " ");
    l.appendChild(control);
    return l;
  }

  function section(title, controls, onSave, name) {
    var sec = el("section", "edit-sec edit-sec-" + name);
    sec.appendChild(el("h3", null, title));
    controls.forEach(function (c) { sec.appendChild(c); });
    var b = el("button", "save", t("edit.save"));
    b.type = "button";
    b.id = "edit-save-" + name;
    b.addEventListener("click", onSave);
    sec.appendChild(b);
    return sec;
  }

  function contacts() {
    return data.nodes.filter(function (n) { return n.meta.kind === "contact" && !n.meta.foreign; })
      .sort(function (a, b) { return a.meta.name.localeCompare(b.meta.name); });
  }

  function nodeOf(contactId) {
    return data.nodes.filter(function (n) { return n.meta.kind === "contact" && n.meta.contactId === contactId; })[0];
  }

  function myLevel(n) {
    var rep = data.nodes.filter(function (r) { return r.meta.kind === "rep" && r.meta.repId === cfg.repId; })[0];
    if (!rep) { return 0; }
    var e = data.edges.filter(function (x) { return x.meta.kind === "KNOWS" && x.from === rep.id && x.to === n.id; })[0];
    return e && e.meta.stored !== null && e.meta.stored !== undefined ? e.meta.stored : 0;
  }

  function today() { return new Date().toISOString().slice(0, 10); }

  /* A day of the date input as a moment: noon UTC, never later than now. */
  function momentOf(day) {
    var at = new Date(day + "T12:00:00Z");
    var now = new Date();
    return (isNaN(at.getTime()) ? now : (at > now ? now : at)).toISOString();
  }

  function value(id) { return document.getElementById(id).value; }

  function selected(id) {
    return Array.prototype.filter.call(document.getElementById(id).options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
  }

  /* ---------------------------------------------------------------- panel */

  function close() {
    panel.hidden = true;
    panel.textContent = "";
    edit.contact = null;
  }

  function open(contactId, message, failed) {
    var n = nodeOf(contactId);
    if (!n) { close(); return; }
    edit.contact = contactId;
    panel.textContent = "";
    panel.hidden = false;
    var head = el("header", "edit-head");
    head.appendChild(el("h2", null, t("edit.title") + ": " + n.meta.name));
    var x = el("button", "close", "×");
    x.type = "button";
    x.id = "edit-close";
    x.title = t("edit.close");
    x.setAttribute("aria-label", t("edit.close"));
    x.addEventListener("click", close);
    head.appendChild(x);
    panel.appendChild(head);
    if (n.meta.title) { panel.appendChild(el("p", "edit-sub", n.meta.title)); }
    var status = el("p", "edit-status" + (failed ? " failed" : ""), message || "");
    status.id = "edit-status";
    status.setAttribute("role", "status");
    panel.appendChild(status);

    var others = contacts().filter(function (c) { return c.meta.contactId !== contactId; });
    var names = {};
    contacts().forEach(function (c) { names[c.meta.contactId] = c.meta.name; });
    var label = function (prefix) { return function (v) { return t(prefix + v, v); }; };

    panel.appendChild(section(t("edit.stance"), [
      select("stance", cfg.stances, label("stance."), n.meta.stance)
    ], function () {
      run("stance", "mutation($c: ID!, $s: Stance!) { setStance(contactId: $c, stance: $s) { id } }",
        { c: contactId, s: value("edit-stance") });
    }, "stance"));

    panel.appendChild(section(t("edit.level"), [
      select("level", cfg.levels, function (v) { return t("level") + v; }, myLevel(n))
    ], function () {
      run("level", "mutation($r: ID!, $c: ID!, $l: Int!) { setRelationshipLevel(repId: $r, contactId: $c, level: $l) { id } }",
        { r: cfg.repId, c: contactId, l: parseInt(value("edit-level"), 10) });
    }, "level"));

    panel.appendChild(section(t("edit.status"), [
      select("contactstatus", cfg.statuses, label("status."), n.meta.status)
    ], function () {
      run("status", "mutation($i: ContactInput!) { upsertContact(input: $i) { id } }",
        { i: { id: contactId, status: value("edit-contactstatus") } });
    }, "status"));

    var date = el("input");
    date.type = "date";
    date.id = "edit-date";
    date.value = today();
    date.max = today();
    var notes = el("textarea");
    notes.id = "edit-notes";
    notes.rows = 2;
    notes.maxLength = 4000;
    panel.appendChild(section(t("edit.visit"), [
      field(t("edit.kind"), select("kind", cfg.kinds, label("kind."), "VISIT")),
      field(t("edit.purpose"), select("purpose", cfg.purposes, label("purpose."), "RELATIONSHIP")),
      field(t("edit.date"), date),
      field(t("edit.notes"), notes),
      field(t("edit.attendees"), select("attendees", contacts().map(function (c) { return c.meta.contactId; }),
        function (v) { return names[v]; }, [contactId], true))
    ], function () {
      var who = selected("edit-attendees");
      if (who.indexOf(contactId) < 0) { who.unshift(contactId); }
      var input = {
        at: momentOf(value("edit-date")),
        kind: value("edit-kind"),
        purpose: value("edit-purpose"),
        companyId: cfg.accountId,
        contactIds: who,
        repIds: [cfg.repId]
      };
      var text = value("edit-notes").trim();
      if (text) { input.notes = text; }
      run("interaction", "mutation($i: InteractionInput!) { logInteraction(input: $i) { id } }", { i: input });
    }, "visit"));

    var strength = select("strength", [1, 2, 3], String, 2);
    panel.appendChild(section(t("edit.tie"), [
      field(t("edit.tie.type"), select("tie", cfg.ties, label("edge."), "INFLUENCES")),
      field(t("edit.tie.to"), select("to", others.map(function (c) { return c.meta.contactId; }),
        function (v) { return names[v]; }, "")),
      field(t("edit.strength"), strength)
    ], function () {
      var type = value("edit-tie");
      run("tie", "mutation($t: TieType!, $f: ID!, $o: ID!, $s: Int) { link(type: $t, fromId: $f, toId: $o, strength: $s) { relationshipsCreated } }",
        { t: type, f: contactId, o: value("edit-to"), s: type === "INFLUENCES" ? parseInt(value("edit-strength"), 10) : null });
    }, "tie"));
  }

  function say(text, failed) {
    var s = document.getElementById("edit-status");
    if (!s) { return; }
    s.textContent = text;
    s.className = "edit-status" + (failed ? " failed" : "");
  }

  /* ------------------------------------------------------------- requests */

  function gql(query, variables) {
    return fetch(cfg.graphql, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json", "X-Stakegraph-Token": cfg.token },
      body: JSON.stringify({ query: query, variables: variables })
    }).then(function (r) {
      return r.json().catch(function () { return { errors: [{ message: "HTTP " + r.status }] }; });
    }).then(function (body) {
      if (body.errors && body.errors.length) { throw new Error(body.errors[0].message); }
      return body.data;
    });
  }

  function notifyParent(change, contactId) {
    var st = window.stakegraph;
    if (!data.embed || !st || !st.parentAllowed || !st.parentOrigin) { return; }
    var message = { type: "stakegraph:changed", accountId: cfg.accountId, contactId: contactId, change: change };
    window.parent.postMessage(message, st.parentOrigin);
    edit.posted.push(message);
  }

  /* Read the fresh map from the widget URL and draw it again in place. */
  function redraw() {
    return fetch(cfg.dataUrl, { credentials: "omit", cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("map-data");
      if (!fresh) { throw new Error("no map data"); }
      var next = JSON.parse(fresh.textContent);
      next.edit = cfg;
      dataEl.textContent = JSON.stringify(next);
      data = next;
      window.stakegraph.rebuild();
      hook();
    });
  }

  function run(change, query, variables) {
    if (edit.busy) { return; }
    var contactId = edit.contact;
    edit.busy = true;
    say(t("edit.saving"), false);
    gql(query, variables).then(function () {
      edit.saved += 1;
      notifyParent(change, contactId);
      return redraw().then(function () { open(contactId, t("edit.saved"), false); });
    }).catch(function (err) {
      edit.errors.push(String(err.message || err));
      say(t("edit.failed") + " " + (err.message || err), true);
    }).then(function () { edit.busy = false; });
  }

  function hook() {
    var st = window.stakegraph;
    st.network.on("click", function (params) {
      if (params.nodes.length !== 1) { return; }
      var n = data.nodes.filter(function (x) { return x.id === params.nodes[0]; })[0];
      if (!n || n.meta.kind !== "contact") { return; }
      if (n.meta.foreign) {
        close();
        panel.hidden = false;
        panel.appendChild(el("p", "edit-status", t("edit.readonly")));
        return;
      }
      open(n.meta.contactId);
    });
    st.editContact = open;
  }

  hook();
})();
