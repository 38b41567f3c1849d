// Tollgate try-it console: sends a request from the browser to the gateway (same origin) with the visitor's key and
// shows status, latency measured here, the rate-limit headers, the request id and the body.
(function () {
  "use strict";

  var SHOWN_HEADERS = ["RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining",
    "X-RateLimit-Reset", "Retry-After", "X-Request-ID", "Content-Type"];

  function $(id) { return document.getElementById(id); }

  function setMethod(method) {
    var select = $("tryit-method");
    if (![].some.call(select.options, function (o) { return o.value === method; })) {
      var option = document.createElement("option");
      option.textContent = method;
      select.appendChild(option);
    }
    select.value = method;
  }

  function requestHeaders(text) {
    var headers = {};
    text.split(/\r?\n/).forEach(function (line) {
      var colon = line.indexOf(":");
      if (colon > 0) {
        headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      }
    });
    return headers;
  }

  function url(base) {
    var path = $("tryit-path").value.trim();
    if (path && path.charAt(0) !== "/") path = "/" + path;
    var query = $("tryit-query").value.trim().replace(/^\?/, "");
    return base + path + (query ? "?" + query : "");
  }

  function showHeaders(response) {
    var table = $("tryit-headers");
    var body = document.createElement("tbody");
    SHOWN_HEADERS.forEach(function (name) {
      var value = response.headers.get(name);
      if (value === null) return;
      var row = document.createElement("tr");
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      var td = document.createElement("td");
      var code = document.createElement("code");
      code.textContent = value;
      td.appendChild(code);
      row.appendChild(th);
      row.appendChild(td);
      body.appendChild(row);
    });
    if (!body.children.length) {
      body.innerHTML = '<tr><td class="muted">No rate-limit headers in this answer.</td></tr>';
    }
    table.replaceChild(body, table.tBodies[0]);
  }

  function pretty(text, contentType) {
    if (contentType && contentType.indexOf("json") >= 0) {
      try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON after all */ }
    }
    return text;
  }

  function send(form) {
    var method = $("tryit-method").value;
    var headers = requestHeaders($("tryit-request-headers").value);
    var key = $("tryit-key").value.trim();
    if (key) headers["Authorization"] = "Bearer " + key;
    var init = { method: method, headers: headers, credentials: "omit", cache: "no-store" };
    var body = $("tryit-body").value;
    if (method !== "GET" && method !== "HEAD" && body.trim()) {
      init.body = body;
      if (!Object.keys(headers).some(function (h) { return h.toLowerCase() === "content-type"; })) {
        headers["Content-Type"] = "application/json";
      }
    }
    var button = $("tryit-send");
    button.disabled = true;
    $("tryit-status").textContent = "…";
    $("tryit-latency").textContent = "…";
    $("tryit-response").textContent = "";
    var started = performance.now();
    fetch(url(form.getAttribute("data-base")), init).then(function (response) {
      return response.text().then(function (text) {
        var ms = Math.round(performance.now() - started);
        $("tryit-status").textContent = response.status + (response.statusText ? " " + response.statusText : "");
        $("tryit-status").className = response.ok ? "badge ok" : response.status >= 500 ? "badge error" : "badge warn";
        $("tryit-latency").textContent = ms + " ms";
        showHeaders(response);
        $("tryit-response").textContent = pretty(text, response.headers.get("Content-Type")) || "(empty body)";
      });
    }).catch(function (error) {
      $("tryit-status").textContent = "No answer";
      $("tryit-status").className = "badge error";
      $("tryit-latency").textContent = Math.round(performance.now() - started) + " ms";
      $("tryit-response").textContent = String(error);
    }).then(function () { button.disabled = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = $("tryit");
    if (!form) return;
    try {
      var stored = window.sessionStorage && sessionStorage.getItem("tollgate.key");
      if (stored && !$("tryit-key").value) $("tryit-key").value = stored;
    } catch (e) { /* storage may be disabled */ }
    form.addEventListener("submit", function (e) { e.preventDefault(); send(form); });
    $("tryit-send").addEventListener("click", function () { send(form); });
    document.addEventListener("click", function (e) {
      var button = e.target.closest("[data-try-path]");
      if (!button) return;
      setMethod(button.getAttribute("data-try-method") || "GET");
      $("tryit-path").value = button.getAttribute("data-try-path");
      $("try").scrollIntoView({ behavior: "smooth", block: "start" });
      $("tryit-path").focus();
    });
  });
})();
