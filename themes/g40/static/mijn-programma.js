// "Mijn programma" and "Nu en straks" on a networkday programme page
// (g40site). Progressive enhancement: without this script the page is the
// full programme; with it, every session in the list gets one toggle
// button (aria-pressed, named after the session), the choice is kept in
// localStorage per event (nothing leaves the browser), and two sections
// are added under the page's actions:
//
// - "Mijn programma": the chosen sessions in time order, a warning when
//   two of them overlap, a print button (one A4 portrait page, see
//   programme.css) and a download of one .ics. That file is cut from the
//   build's own programma.ics (its VTIMEZONE and the chosen VEVENTs as
//   they are), so UIDs, times and TZID are exactly those of the build.
// - "Nu en straks": per room what runs now and what starts next, from the
//   attendee's clock, shown in the programme's time zone.
//
// Everything is read from the page itself (the sessions' <time datetime>
// values, rooms and titles) and from programma.ics; no framework, no
// build step.
(function () {
  "use strict";
  var script = document.currentScript;
  var article = document.querySelector("article.programme");
  var storage = null;
  try {
    storage = window.localStorage;
  } catch (e) {
    // Storage switched off: the choice then lasts until the page closes.
  }
  if (!script || !article || !document.querySelector) return;
  var icsUrl = script.getAttribute("data-ics");
  var tz = script.getAttribute("data-tijdzone") || "Europe/Amsterdam";
  var storeKey = "g40-mijn-programma:" + (script.getAttribute("data-programma") || location.pathname);
  // Interface text in the site's language (the theme's strings file, as
  // JSON in data-t); {name} places are filled in with fill().
  var T = {};
  try {
    T = JSON.parse(script.getAttribute("data-t") || "{}");
  } catch (e) {
    return;
  }
  function fill(text, values) {
    Object.keys(values).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  // Text as read: the build's soft hyphens (for line breaks) left out.
  function clean(text) {
    return text.replace(/\u00ad/g, "").replace(/\s+/g, " ").trim();
  }

  // The sessions, in page order (the lists are in time order already).
  var sessions = [];
  var byId = {};
  var articles = article.querySelectorAll("article.session");
  for (var i = 0; i < articles.length; i++) {
    var el = articles[i];
    var times = el.querySelectorAll(".session-when time");
    if (!el.id || times.length === 0) continue;
    var room = el.querySelector(".session-room");
    var kind = (el.className.match(/kind-([a-z-]+)/) || [])[1] || "session";
    var s = {
      id: el.id,
      el: el,
      title: clean((el.querySelector("h3") || el).textContent),
      kind: kind,
      everyRoom: kind !== "session",
      start: Date.parse(times[0].getAttribute("datetime")),
      end: times.length > 1 ? Date.parse(times[1].getAttribute("datetime")) : null,
      day: times[0].getAttribute("datetime").slice(0, 10),
      room: room ? clean(room.textContent) : "",
    };
    sessions.push(s);
    byId[s.id] = s;
  }
  if (sessions.length === 0) return;

  function loadChosen() {
    try {
      var v = JSON.parse((storage && storage.getItem(storeKey)) || "[]");
      return Array.isArray(v) ? v.filter(function (id) { return byId[id]; }) : [];
    } catch (e) {
      return [];
    }
  }
  var chosen = loadChosen();
  function save() {
    try {
      if (storage) storage.setItem(storeKey, JSON.stringify(chosen));
    } catch (e) {
      // Private mode or full storage: the choice lasts until the page closes.
    }
  }

  // Formatting in the programme's time zone.
  function parts(ms) {
    var f = new Intl.DateTimeFormat("nl-NL", {
      timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    var out = {};
    f.formatToParts(new Date(ms)).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  function clock(ms) {
    var p = parts(ms);
    return Number(p.hour) + T.time_separator + p.minute;
  }
  function localDay(ms) {
    var p = parts(ms);
    return p.year + "-" + p.month + "-" + p.day;
  }
  function span(s) {
    return clock(s.start) + (s.end !== null ? "–" + clock(s.end) : "") + T.time_suffix;
  }
  var dayNames = {};
  var headings = article.querySelectorAll(".programme-day h2 time, .page-header .lead time");
  for (var h = 0; h < headings.length; h++) {
    dayNames[headings[h].getAttribute("datetime")] = clean(headings[h].textContent);
  }

  function make(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The two sections, under the page's actions.
  var mine = make("section", { "class": "mijn-programma", id: "mijn-programma", "aria-labelledby": "mijn-programma-kop" });
  mine.appendChild(make("h2", { id: "mijn-programma-kop" }, T.mp_title));
  var status = make("p", { "class": "mijn-status", role: "status" });
  var mineBody = make("div", { "class": "mijn-inhoud" });
  mine.appendChild(mineBody);
  mine.appendChild(status);
  var now = make("section", { "class": "nu-en-straks", id: "nu-en-straks", "aria-labelledby": "nu-en-straks-kop" });
  now.appendChild(make("h2", { id: "nu-en-straks-kop" }, T.mp_now_title));
  var nowBody = make("div", { "class": "nu-inhoud" });
  now.appendChild(nowBody);
  var anchor = article.querySelector(".programme-actions") || article.querySelector(".page-header");
  anchor.parentNode.insertBefore(now, anchor.nextSibling);
  anchor.parentNode.insertBefore(mine, anchor.nextSibling);

  // One toggle per session (not the transfers), after its title.
  sessions.forEach(function (s) {
    if (s.kind === "transfer") return;
    var b = make("button", { type: "button", "class": "mijn-knop", "aria-pressed": "false", "data-sessie": s.id });
    b.appendChild(document.createTextNode(T.mp_title));
    b.appendChild(make("span", { "class": "visually-hidden" }, ": " + s.title));
    b.addEventListener("click", function () { toggle(s.id); });
    s.button = b;
    var title = s.el.querySelector("h3");
    title.parentNode.insertBefore(b, title.nextSibling);
  });

  function toggle(id) {
    var at = chosen.indexOf(id);
    if (at >= 0) chosen.splice(at, 1); else chosen.push(id);
    save();
    render();
    var n = chosen.length;
    status.textContent = fill(at >= 0 ? T.mp_removed : T.mp_added, {
      title: byId[id].title,
      count: fill(n === 1 ? T.mp_one_session : T.mp_sessions, { n: String(n) })
    }) + (clashes().length ? " " + T.mp_clash_short : "");
  }

  function chosenInOrder() {
    return chosen.map(function (id) { return byId[id]; }).sort(function (a, b) {
      return a.start - b.start || (a.end || a.start) - (b.end || b.start);
    });
  }

  // Pairs of chosen sessions that run at the same time.
  function clashes() {
    var list = chosenInOrder();
    var out = [];
    for (var a = 0; a < list.length; a++) {
      for (var b = a + 1; b < list.length; b++) {
        var x = list[a], y = list[b];
        var xEnd = x.end === null ? x.start : x.end;
        var yEnd = y.end === null ? y.start : y.end;
        var overlap = x.end === null || y.end === null
          ? (x.start === y.start) || (x.start < yEnd && y.start < xEnd)
          : x.start < yEnd && y.start < xEnd;
        if (overlap) out.push([x, y]);
      }
    }
    return out;
  }

  function render() {
    sessions.forEach(function (s) {
      if (!s.button) return;
      var on = chosen.indexOf(s.id) >= 0;
      s.button.setAttribute("aria-pressed", on ? "true" : "false");
      s.el.classList.toggle("gekozen", on);
    });
    mineBody.textContent = "";
    var list = chosenInOrder();
    if (list.length === 0) {
      mineBody.appendChild(make("p", {}, T.mp_empty));
      return;
    }
    var warn = clashes();
    if (warn.length) {
      var w = make("div", { "class": "mijn-botsing" });
      w.appendChild(make("p", {}, T.mp_clash));
      var ul = make("ul");
      warn.forEach(function (pair) {
        ul.appendChild(make("li", {}, "“" + pair[0].title + "” (" + span(pair[0]) + ") " + T.list_and + " “" + pair[1].title + "” (" + span(pair[1]) + ")"));
      });
      w.appendChild(ul);
      mineBody.appendChild(w);
    }
    var days = {};
    var ol = null;
    list.forEach(function (s) {
      if (!days[s.day] && Object.keys(dayNames).length > 1) {
        days[s.day] = true;
        mineBody.appendChild(make("h3", { "class": "mijn-dag" }, dayNames[s.day] || s.day));
        ol = null;
      }
      if (!ol) {
        ol = make("ol", { "class": "mijn-lijst" });
        mineBody.appendChild(ol);
      }
      var li = make("li");
      li.appendChild(make("span", { "class": "mijn-tijd" }, span(s)));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(make("a", { href: "#" + s.id }, s.title));
      if (s.room) li.appendChild(make("span", { "class": "mijn-zaal" }, " · " + s.room));
      ol.appendChild(li);
    });
    var actions = make("p", { "class": "mijn-acties" });
    var dl = make("button", { type: "button", "class": "button" }, T.mp_download);
    dl.addEventListener("click", download);
    var pr = make("button", { type: "button", "class": "button" }, T.mp_print);
    pr.addEventListener("click", function () {
      document.body.classList.add("print-mijn-programma");
      window.print();
    });
    actions.appendChild(dl);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(pr);
    mineBody.appendChild(actions);
  }
  window.addEventListener("afterprint", function () {
    document.body.classList.remove("print-mijn-programma");
  });

  // The build's calendar, fetched once: the personal one is cut from it.
  var calendar = null;
  function loadCalendar() {
    if (!calendar && icsUrl && window.fetch) {
      calendar = fetch(icsUrl).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      });
    }
    return calendar;
  }

  // RFC 5545 folding: lines of at most 75 octets, CRLF.
  function fold(line) {
    var enc = new TextEncoder();
    var out = "", current = "", size = 0, limit = 75;
    for (var ch of line) {
      var n = enc.encode(ch).length;
      if (size + n > limit) {
        out += current + "\r\n ";
        current = "";
        size = 1;
        limit = 75;
      }
      current += ch;
      size += n;
    }
    return out + current + "\r\n";
  }
  function icsText(v) {
    return v.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }

  // The personal calendar: the build's header and time zone, the chosen
  // events as the build wrote them.
  function personal(text) {
    var lines = text.split("\r\n");
    var head = [], events = {}, block = null, unfolded = "";
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (block) {
        block.push(line);
        if (line === "END:VEVENT") {
          var m = unfolded.match(/\r\nURL:[^\r\n]*#([^\r\n#]+)\r\n/);
          if (m) events[decodeURIComponent(m[1])] = block.join("\r\n") + "\r\n";
          block = null;
        } else if (line[0] === " " || line[0] === "\t") {
          unfolded += line.slice(1);
        } else {
          unfolded += "\r\n" + line;
        }
        continue;
      }
      if (line === "BEGIN:VEVENT") {
        block = [line];
        unfolded = "";
        continue;
      }
      if (line === "END:VCALENDAR" || line === "") continue;
      head.push(line);
    }
    // Rename the calendar; keep everything else of the header.
    var out = "", skip = false;
    head.forEach(function (line) {
      if (line[0] === " " || line[0] === "\t") {
        if (!skip) out += line + "\r\n";
        return;
      }
      skip = /^X-WR-CAL(NAME|DESC)[:;]/.test(line);
      if (!skip) out += line + "\r\n";
      if (line === "METHOD:PUBLISH") {
        out += fold("X-WR-CALNAME:" + icsText(T.mp_title + ": " + clean(document.title.split(" · ")[0])));
      }
    });
    chosenInOrder().forEach(function (s) {
      if (events[s.id]) out += events[s.id];
    });
    return out + "END:VCALENDAR\r\n";
  }

  function download() {
    var p = loadCalendar();
    if (!p) return;
    p.then(function (text) {
      var blob = new Blob([personal(text)], { type: "text/calendar;charset=utf-8" });
      var a = make("a", { href: URL.createObjectURL(blob), download: "mijn-programma.ics", hidden: "" }, "mijn-programma.ics");
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      status.textContent = T.mp_downloaded;
    }, function () {
      status.textContent = T.mp_download_failed;
    });
  }

  // "Nu en straks": per room the session that runs now and the next one.
  function renderNow() {
    var t = Date.now();
    var today = localDay(t);
    nowBody.textContent = "";
    var todays = sessions.filter(function (s) { return s.day === today && s.kind !== "transfer"; });
    if (todays.length === 0) {
      var days = Object.keys(dayNames).sort();
      nowBody.appendChild(make("p", {}, (days.length > 1 ? T.mp_now_later_days : T.mp_now_later) +
        (days.length ? " (" + days.map(function (d) { return dayNames[d]; }).join(" " + T.list_and + " ") + ")." : ".")));
      return;
    }
    nowBody.appendChild(make("p", { "class": "nu-klok" }, "Het is nu " + clock(t) + " uur."));
    var rooms = [];
    var perRoom = {};
    todays.forEach(function (s) {
      var key = s.everyRoom ? T.mp_everyone : s.room || T.mp_other;
      if (!perRoom[key]) { perRoom[key] = []; rooms.push(key); }
      perRoom[key].push(s);
    });
    rooms.sort(function (a, b) { return a === T.mp_everyone ? -1 : b === T.mp_everyone ? 1 : 0; });
    var dl = make("dl", { "class": "nu-lijst" });
    rooms.forEach(function (room) {
      var list = perRoom[room];
      var current = list.filter(function (s) {
        var end = s.end === null ? s.start + 30 * 60000 : s.end;
        return s.start <= t && t < end;
      })[0];
      var next = list.filter(function (s) { return s.start > t; })
        .sort(function (a, b) { return a.start - b.start; })[0];
      dl.appendChild(make("dt", {}, room));
      var dd = make("dd");
      if (current) {
        dd.appendChild(document.createTextNode(T.mp_now + " "));
        dd.appendChild(make("a", { href: "#" + current.id }, current.title));
        dd.appendChild(document.createTextNode(" (" + span(current) + ")"));
      } else {
        dd.appendChild(document.createTextNode(T.mp_now + " " + T.mp_nothing));
      }
      dd.appendChild(make("br"));
      if (next) {
        dd.appendChild(document.createTextNode(T.mp_next + " "));
        dd.appendChild(make("a", { href: "#" + next.id }, next.title));
        dd.appendChild(document.createTextNode(" (" + span(next) + ")"));
      } else {
        dd.appendChild(document.createTextNode(T.mp_next + " " + T.mp_nothing_more));
      }
      dl.appendChild(dd);
    });
    nowBody.appendChild(dl);
    var allDay = article.querySelectorAll(".all-day-note");
    for (var a = 0; a < allDay.length; a++) {
      nowBody.appendChild(make("p", {}, clean(allDay[a].textContent)));
    }
  }

  render();
  renderNow();
  setInterval(renderNow, 60000);
  // Prefetched, so a download needs no wait after the click.
  if (chosen.length) loadCalendar();
  mine.addEventListener("focusin", loadCalendar);
})();
