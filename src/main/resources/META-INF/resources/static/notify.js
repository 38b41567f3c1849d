// Tollgate portal: the live bell. Connects to /notifications/stream (the sign-in cookie identifies the browser),
// keeps #bell-count up to date and shows a short toast for each new notification; reconnects with backoff. The
// pages work without it: the count is rendered on every page and the history is at /notifications.
(function () {
  "use strict";

  var SEEN_KEY = "tollgate.notify.seen";
  var SINCE_KEY = "tollgate.notify.since";
  var socket = null;
  var attempt = 0;
  var countTimer = null;

  function stored(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
  }

  function store(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* private mode: toasts may repeat */ }
  }

  function seen() {
    try { return JSON.parse(stored(SEEN_KEY) || "[]"); } catch (e) { return []; }
  }

  // whether this tab showed the notification already (the stream replays recent ones on every page load)
  function firstSight(id) {
    var ids = seen();
    if (ids.indexOf(id) >= 0) return false;
    ids.push(id);
    store(SEEN_KEY, JSON.stringify(ids.slice(-100)));
    return true;
  }

  function setCount(count) {
    var bell = document.getElementById("bell");
    var badge = document.getElementById("bell-count");
    if (!badge || typeof count !== "number" || count < 0) return;
    badge.textContent = String(count);
    badge.hidden = count === 0;
    if (bell) bell.setAttribute("aria-label", "Notifications, " + count + " unread");
  }

  // the authoritative count after new notifications arrive (once per burst)
  function refreshCount() {
    clearTimeout(countTimer);
    countTimer = setTimeout(function () {
      fetch("/notifications/unread", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) { if (body) setCount(body.unread_count); })
        .catch(function () { /* the next message tries again */ });
    }, 300);
  }

  function container() {
    var box = document.getElementById("notify-toasts");
    if (!box) {
      if (!document.querySelector('link[href="/static/notify.css"]')) {
        var style = document.createElement("link");
        style.rel = "stylesheet";
        style.href = "/static/notify.css";
        document.head.appendChild(style);
      }
      box = document.createElement("div");
      box.id = "notify-toasts";
      box.className = "notify-toasts";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    return box;
  }

  function toast(n) {
    var item = document.createElement("div");
    item.className = "notify-toast";
    var title = document.createElement("strong");
    title.textContent = n.title || "New notification";
    item.appendChild(title);
    if (n.message) {
      var text = document.createElement("p");
      text.textContent = n.message.length > 160 ? n.message.slice(0, 157) + "…" : n.message;
      item.appendChild(text);
    }
    var link = document.createElement("a");
    link.href = "/notifications";
    link.textContent = "View notifications";
    item.appendChild(link);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "notify-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () { item.remove(); });
    item.appendChild(close);
    var box = container();
    box.appendChild(item);
    while (box.children.length > 3) box.removeChild(box.firstChild);
    setTimeout(function () { item.remove(); }, 8000);
  }

  function connect() {
    var since = stored(SINCE_KEY);
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/notifications/stream"
      + (since ? "?since=" + encodeURIComponent(since) : "");
    try {
      socket = new WebSocket(url);
    } catch (e) {
      retry();
      return;
    }
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "ready") {
        attempt = 0;
        setCount(message.unread_count);
      } else if (message.type === "notification" && message.notification) {
        var n = message.notification;
        if (n.created_at && !(Date.parse(n.created_at) <= Date.parse(stored(SINCE_KEY)))) store(SINCE_KEY, n.created_at);
        if (firstSight(n.id)) {
          toast(n);
          refreshCount();
        }
      }
    };
    socket.onclose = function () {
      socket = null;
      retry();
    };
  }

  // 1 s, 2 s, 4 s … up to 2 min, with jitter, so a restarted server is not met by every browser at once
  function retry() {
    var delay = Math.min(120000, 1000 * Math.pow(2, attempt)) * (0.75 + Math.random() * 0.5);
    attempt = Math.min(attempt + 1, 10);
    setTimeout(connect, delay);
  }

  if (!("WebSocket" in window) || !document.getElementById("bell")) return;
  // the first page of this tab, or one after a long pause: only what comes from now on is toasted (the count, from
  // the server, includes the rest)
  var last = Date.parse(stored(SINCE_KEY));
  if (!(last > Date.now() - 5 * 60 * 1000)) store(SINCE_KEY, new Date().toISOString());
  window.addEventListener("pagehide", function () { if (socket) socket.close(); });
  connect();
})();
