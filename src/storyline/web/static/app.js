// storyline: small enhancements; every page works without this file.
(function () {
  "use strict";
  // "/" focuses the search box.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable)) return;
    var box = document.querySelector(".search input[type=search]");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  });

  // Hovering an entity mention lights up every mention of the same entity.
  function toggleEntity(id, on) {
    document.querySelectorAll("a.m[data-entity]").forEach(function (el) {
      if (el.getAttribute("data-entity") === id) el.classList.toggle("hot", on);
    });
  }
  document.querySelectorAll("a.m[data-entity]").forEach(function (el) {
    var id = el.getAttribute("data-entity");
    el.addEventListener("mouseenter", function () { toggleEntity(id, true); });
    el.addEventListener("mouseleave", function () { toggleEntity(id, false); });
  });

  // Hovering a timeline marker lights up its table row, and the other way round.
  function toggleEvent(id, on) {
    var row = document.getElementById("ev-" + id);
    if (row) row.classList.toggle("hot", on);
    document.querySelectorAll("a.mk[data-event]").forEach(function (el) {
      if (el.getAttribute("data-event") === id) el.classList.toggle("hot", on);
    });
  }
  document.querySelectorAll("a.mk[data-event]").forEach(function (el) {
    var id = el.getAttribute("data-event");
    el.addEventListener("mouseenter", function () { toggleEvent(id, true); });
    el.addEventListener("mouseleave", function () { toggleEvent(id, false); });
  });
  document.querySelectorAll("tr[id^='ev-']").forEach(function (row) {
    var id = row.id.slice(3);
    row.addEventListener("mouseenter", function () { toggleEvent(id, true); });
    row.addEventListener("mouseleave", function () { toggleEvent(id, false); });
  });
})();
