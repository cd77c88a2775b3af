// Interactivity for the report and the matrix. The page is complete without it: this only
// filters, sorts and opens case details. Data comes from the inline #h2c-data JSON.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var data = JSON.parse(document.getElementById('h2c-data').textContent);
  var byId = function (id) { return document.getElementById(id); };
  var all = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };

  // Deep links: #case-<id> (report) or #t<k>-case-<id> (matrix) opens that case's details.
  function openAnchor(anchor, scroll) {
    var el = byId(anchor);
    if (!el) { try { el = byId(decodeURIComponent(anchor)); } catch (e) { el = null; } }
    if (!el || el.tagName !== 'DETAILS') return false;
    if (el.hidden && window.h2cResetFilters) window.h2cResetFilters();
    for (var p = el.parentElement; p; p = p.parentElement) { if (p.tagName === 'DETAILS') p.open = true; }
    el.open = true;
    el.classList.add('flash');
    setTimeout(function () { el.classList.remove('flash'); }, 1600);
    if (scroll) el.scrollIntoView({ block: 'start' });
    return true;
  }
  function openFromHash() { if (location.hash.length > 1) openAnchor(location.hash.slice(1), true); }
  window.addEventListener('hashchange', openFromHash);
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[href^="#"]');
    if (a && a.getAttribute('href') === location.hash) openAnchor(location.hash.slice(1), true);
  });

  function countShown(rows, el, total) {
    var n = rows.filter(function (r) { return !r.hidden; }).length;
    if (el) el.textContent = 'Showing ' + n + ' of ' + total + ' cases';
  }

  function setupReport() {
    var rows = all('#case-table tbody tr');
    var cases = data.cases;
    var state = { verdicts: {}, section: '', level: '', change: '', q: '' };
    var chips = all('.chip[data-verdict]');
    var section = byId('f-section'), level = byId('f-level'), change = byId('f-change'), q = byId('f-search');
    var orderBy = byId('f-order'), body = document.querySelector('#case-table tbody');
    var rank = { fail: 0, error: 1, target_down: 2, non_strict: 3, skip: 4, pass: 5 };
    function matches(c) {
      var anyVerdict = Object.keys(state.verdicts).length === 0;
      return (anyVerdict || state.verdicts[c.verdict]) &&
        (!state.section || c.section === state.section) && (!state.level || c.level === state.level) &&
        (!state.change || c.change === state.change) && (!state.q || c.text.indexOf(state.q) >= 0);
    }
    function apply() {
      rows.forEach(function (row) {
        var c = cases[Number(row.getAttribute('data-i'))];
        var show = matches(c);
        row.hidden = !show;
        var detail = byId(c.anchor);
        if (detail) detail.hidden = !show;
      });
      countShown(rows, byId('f-shown'), cases.length);
    }
    chips.forEach(function (chip) {
      chip.addEventListener('click', function () {
        var v = chip.getAttribute('data-verdict');
        if (state.verdicts[v]) delete state.verdicts[v]; else state.verdicts[v] = true;
        chip.setAttribute('aria-pressed', state.verdicts[v] ? 'true' : 'false');
        apply();
      });
    });
    if (section) section.addEventListener('change', function () { state.section = section.value; apply(); });
    if (level) level.addEventListener('change', function () { state.level = level.value; apply(); });
    if (change) change.addEventListener('change', function () { state.change = change.value; apply(); });
    if (q) q.addEventListener('input', function () { state.q = q.value.trim().toLowerCase(); apply(); });
    // Catalogue order is the rows' order in the page; "failures first" sorts by verdict, then it.
    function order() {
      var failuresFirst = orderBy && orderBy.value === 'failures';
      rows.slice().sort(function (a, b) {
        var ia = Number(a.getAttribute('data-i')), ib = Number(b.getAttribute('data-i'));
        var ra = failuresFirst ? rank[cases[ia].verdict] : 0, rb = failuresFirst ? rank[cases[ib].verdict] : 0;
        return ra !== rb ? ra - rb : ia - ib;
      }).forEach(function (row) { body.appendChild(row); });
    }
    if (orderBy) orderBy.addEventListener('change', order);
    all('a[data-section]').forEach(function (a) {
      a.addEventListener('click', function () { if (section) { section.value = a.getAttribute('data-section'); state.section = section.value; apply(); } });
    });
    window.h2cResetFilters = function () {
      state = { verdicts: {}, section: '', level: '', change: '', q: '' };
      chips.forEach(function (c) { c.setAttribute('aria-pressed', 'false'); });
      [section, level, change, q].forEach(function (el) { if (el) el.value = ''; });
      apply();
    };
    apply();
  }

  function setupMatrix() {
    var body = document.querySelector('#matrix-table tbody');
    var rows = all('tr', body);
    var cases = data.cases;
    var sort = byId('m-sort'), q = byId('m-search'), failing = byId('m-failing');
    function apply() {
      var text = q ? q.value.trim().toLowerCase() : '';
      var onlyFailing = failing && failing.checked;
      rows.forEach(function (row) {
        var c = cases[Number(row.getAttribute('data-i'))];
        row.hidden = (text && c.text.indexOf(text) < 0) || (onlyFailing && c.failures === 0);
      });
      countShown(rows, byId('m-shown'), cases.length);
    }
    function order() {
      var byFailures = sort && sort.value === 'failures';
      // Rows come in catalogue order: data-i keeps it.
      var sorted = rows.slice().sort(function (a, b) {
        var ia = Number(a.getAttribute('data-i')), ib = Number(b.getAttribute('data-i'));
        if (byFailures && cases[ia].failures !== cases[ib].failures) return cases[ib].failures - cases[ia].failures;
        return ia - ib;
      });
      sorted.forEach(function (row) { body.appendChild(row); });
    }
    if (sort) sort.addEventListener('change', order);
    if (q) q.addEventListener('input', apply);
    if (failing) failing.addEventListener('change', apply);
    window.h2cResetFilters = function () { if (q) q.value = ''; if (failing) failing.checked = false; apply(); };
    apply();
  }

  if (data.page === 'matrix') setupMatrix(); else setupReport();
  openFromHash();
})();
