// Site search (g40site): loads /zoeken/index.json once and searches it in
// the browser. No stemming here: the index groups words with the same
// Dutch stem, and each query word matches indexed words it is the start
// of. Results are a list of links; the count is announced in a status
// region (role=status) for screen readers.
(function () {
  "use strict";
  var form = document.querySelector("form[data-index]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("zoekstatus");
  var list = document.getElementById("zoekresultaten");
  var loading = null;

  // Interface text in the site's language, from the form's data-t-*
  // attributes (the theme's strings file); {q} and {n} are filled in.
  function text(key, values) {
    var name = "data-t-" + key.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); });
    var out = form.getAttribute(name) || "";
    Object.keys(values).forEach(function (k) { out = out.split("{" + k + "}").join(values[k]); });
    return out;
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"))
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .then(function (index) {
          index.wordList = Object.keys(index.words);
          index.stopSet = new Set(index.stop || []);
          return index;
        });
    }
    return loading;
  }

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function terms(index, query) {
    return normalise(query)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(function (w) { return w.length > 1 && !index.stopSet.has(w); });
  }

  // Pages matching every term, best first.
  function search(index, query) {
    var total = null;
    terms(index, query).forEach(function (term) {
      var groups = new Map();
      index.wordList.forEach(function (word) {
        if (word.lastIndexOf(term, 0) === 0) {
          var g = index.words[word];
          // A whole-word match counts double.
          groups.set(g, Math.max(groups.get(g) || 0, word === term ? 2 : 1));
        }
      });
      var scores = new Map();
      groups.forEach(function (factor, g) {
        index.postings[g].forEach(function (p) {
          scores.set(p[0], (scores.get(p[0]) || 0) + p[1] * factor);
        });
      });
      if (total === null) {
        total = scores;
      } else {
        var both = new Map();
        total.forEach(function (s, doc) {
          if (scores.has(doc)) both.set(doc, s + scores.get(doc));
        });
        total = both;
      }
    });
    if (total === null) return null;
    return Array.from(total.entries())
      .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
      .map(function (e) { return index.docs[e[0]]; });
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) {
      status.textContent = "";
      return;
    }
    load().then(function (index) {
      var results = search(index, query);
      list.textContent = "";
      if (results === null) {
        status.textContent = text("tooShort", {});
        return;
      }
      results.forEach(function (doc) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = doc[1];
        a.textContent = doc[0];
        var kind = document.createElement("span");
        kind.className = "search-kind";
        kind.textContent = doc[2];
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(kind);
        if (doc[3]) {
          var p = document.createElement("p");
          p.textContent = doc[3];
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      var n = results.length;
      status.textContent = text(n === 0 ? "none" : n === 1 ? "one" : "many", { q: query, n: String(n) });
    }).catch(function () {
      status.textContent = text("unavailable", {});
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value;
    var url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.replaceState(null, "", url);
    show(query);
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    show(initial);
  }
})();
