// Tierzone report: search and tier filter over the customers table, rows
// that expand to their details, framework ids on the control matrix's
// cells. URL hash parameters set the state: #search=acme&tier=fintech&open=key1,key2
(function () {
  "use strict";
  var table = document.getElementById("customer-table");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr.customer"));
  var byKey = {};
  rows.forEach(function (tr) { byKey[tr.dataset.key] = tr; });
  var search = document.getElementById("search");
  var tier = document.getElementById("tier");
  var shown = document.getElementById("shown");

  function details(tr) {
    var n = tr.nextElementSibling;
    return n && n.classList.contains("details") ? n : null;
  }

  function apply() {
    var q = search.value.trim().toLowerCase();
    var t = tier.value;
    var n = 0;
    rows.forEach(function (tr) {
      var ok = (!q || tr.dataset.search.indexOf(q) >= 0) && (!t || tr.dataset.tier === t);
      tr.hidden = !ok;
      var d = details(tr);
      if (d) { d.hidden = !ok || tr.getAttribute("aria-expanded") !== "true"; }
      if (ok) { n++; }
    });
    shown.textContent = n + " of " + rows.length + " customers";
  }

  var tipsEl = document.getElementById("tz-tips");
  var tips = tipsEl ? JSON.parse(tipsEl.textContent) : [];

  // fillControls lists a row's controls with their framework ids the
  // first time it opens (the page holds each control set once).
  function fillControls(d) {
    var ul = d.querySelector("ul.ids");
    if (!ul || ul.childElementCount > 0) { return; }
    var set = tips[Number(ul.dataset.g)] || {};
    Object.keys(set).forEach(function (id) {
      var li = document.createElement("li");
      li.textContent = set[id];
      ul.appendChild(li);
    });
  }

  function toggle(tr, open) {
    var d = details(tr);
    if (!d) { return; }
    if (open === undefined) { open = tr.getAttribute("aria-expanded") !== "true"; }
    tr.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { fillControls(d); }
    d.hidden = !open || tr.hidden;
  }

  table.addEventListener("click", function (e) {
    var tr = e.target.closest("tr.customer");
    if (tr && !e.target.closest("a")) { toggle(tr); }
  });
  table.addEventListener("keydown", function (e) {
    var tr = e.target.closest("tr.customer");
    if (tr && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); toggle(tr); }
  });

  function fromHash() {
    var h = location.hash.replace(/^#/, "");
    if (h.indexOf("=") < 0) { return; }
    var p = new URLSearchParams(h);
    if (p.has("search")) { search.value = p.get("search"); }
    if (p.has("tier")) { tier.value = p.get("tier"); }
    apply();
    if (p.has("open")) {
      p.get("open").split(",").forEach(function (k) {
        if (byKey[k]) { toggle(byKey[k], true); }
      });
    }
  }

  search.addEventListener("input", apply);
  tier.addEventListener("change", apply);
  window.addEventListener("hashchange", fromHash);

  var matrix = document.getElementById("matrix");
  if (matrix) {
    var ids = Array.prototype.map.call(matrix.querySelectorAll("thead th span"), function (s) { return s.textContent; });
    matrix.addEventListener("mouseover", function (e) {
      var td = e.target.closest("td");
      if (!td || td.title) { return; }
      var tr = td.parentElement;
      var id = ids[td.cellIndex - 1];
      var set = tips[Number(tr.dataset.g)] || {};
      td.title = set[id] || (id + ": not in place for " + tr.firstElementChild.textContent);
    });
  }

  apply();
  fromHash();
  document.body.dataset.ready = "1";
}());
