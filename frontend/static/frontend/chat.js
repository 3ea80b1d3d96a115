// The chat in real time (docs: /work/shared/contracts/chat.md, restated in docs/chat-protocol.md).
// Without this script the page still shows the history and posts through a plain form.
// Exactly once: keep the largest message id seen, `sync` after it on every (re)connect, and resend
// unacknowledged messages with their client_id (the server stores a client_id once).
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !root.dataset.ws || !window.WebSocket) { return; }
  var list = document.getElementById("messages");
  var form = document.getElementById("chat-form");
  var field = form && form.querySelector("textarea");
  var statusLine = document.getElementById("chat-status");
  var me = Number(root.dataset.me);
  var lastId = Number(root.dataset.lastId) || 0;
  var pending = [];          // [{client_id, body}] in the order they were written, until acknowledged
  var socket = null;
  var delay = 500;
  var stopped = false;
  var typingSent = 0;
  var typingTimer = null;

  function t(name) { return root.getAttribute("data-t-" + name) || ""; }
  function say(text) { statusLine.textContent = text; }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function send(frame) {
    if (socket && socket.readyState === 1) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }
  function clock(iso) {
    var date = new Date(iso);
    return isNaN(date) ? "" : date.toLocaleString(document.documentElement.lang, { dateStyle: "short", timeStyle: "short" });
  }

  function draw(frame) {
    var item = el("li", "msg" + (frame.sender && frame.sender.id === me ? " mine" : "") + " visible");
    item.id = "m-" + frame.id;
    item.setAttribute("data-id", frame.id);
    if (frame.kind === "notice") {
      item.className = "msg notice";
      item.appendChild(el("p", "body", frame.body));
      return item;
    }
    var meta = el("p", "meta");
    meta.appendChild(el("span", "who", frame.sender ? frame.sender.display_name : ""));
    meta.appendChild(document.createTextNode(" "));
    var time = el("time", "", clock(frame.created_at));
    time.setAttribute("datetime", frame.created_at);
    meta.appendChild(time);
    item.appendChild(meta);
    item.appendChild(el("p", "body", frame.body));
    if (!frame.sender || frame.sender.id !== me) {
      var report = el("a", "report", root.getAttribute("data-t-report") || "Report");
      report.href = root.getAttribute("data-report-url").replace("/0/", "/" + frame.id + "/");
      report.setAttribute("data-report", "");
      item.appendChild(report);
    }
    return item;
  }

  function place(item, id) {
    // in id order, before the messages still being sent
    var after = null;
    var nodes = list.querySelectorAll("li[data-id]");
    for (var i = 0; i < nodes.length; i++) {
      if (Number(nodes[i].getAttribute("data-id")) > id) { after = nodes[i]; break; }
    }
    list.insertBefore(item, after || list.querySelector("li.sending"));
  }

  function onMessage(frame) {
    if (frame.id > lastId) { lastId = frame.id; }
    if (document.getElementById("m-" + frame.id)) { return; }  // already shown: never twice
    if (frame.sender && frame.sender.id === me && frame.client_id) {
      forget(frame.client_id);
      var draft = document.getElementById("c-" + frame.client_id);
      if (draft) { draft.parentNode.removeChild(draft); }
    }
    place(draw(frame), frame.id);
    list.lastElementChild && list.lastElementChild.scrollIntoView({ block: "nearest" });
  }

  function forget(clientId) {
    pending = pending.filter(function (item) { return item.client_id !== clientId; });
  }

  function markDraft(clientId, text) {
    var draft = document.getElementById("c-" + clientId);
    if (!draft) { return; }
    draft.classList.remove("sending");
    var note = draft.querySelector(".held") || draft.appendChild(el("p", "held"));
    note.textContent = text;
  }

  var handlers = {
    "message": onMessage,
    "message.ack": function (frame) {
      forget(frame.client_id);
      var draft = document.getElementById("c-" + frame.client_id);
      if (draft) { draft.classList.remove("sending"); }
    },
    "message.held": function (frame) { forget(frame.client_id); markDraft(frame.client_id, t("held")); },
    "message.withdrawn": function (frame) {
      var item = document.getElementById("m-" + frame.id);
      if (item) { item.parentNode.removeChild(item); }
    },
    "typing": function (frame) {
      if (frame.user_id === me) { return; }
      say(t("typing"));
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { say(""); }, 3000);
    },
    "report.received": function (frame) {
      var item = document.getElementById("m-" + frame.message_id);
      var link = item && item.querySelector("[data-report]");
      if (link) { link.replaceWith(el("span", "reported", t("reported"))); }
    },
    "error": function (frame) {
      if (!frame.client_id) { say(frame.detail); return; }
      if (frame.code === "unavailable" || frame.code === "rate_limited") {
        setTimeout(resend, 2000);  // nothing was stored: the same client_id again later
        return;
      }
      forget(frame.client_id);
      markDraft(frame.client_id, frame.detail);
    }
  };

  function resend() {
    pending.forEach(function (item) { send({ type: "message.send", client_id: item.client_id, body: item.body }); });
  }

  function connect() {
    if (stopped || socket) { return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.ws);
    socket.onopen = function () {
      delay = 500;
      say(t("live"));
      send({ type: "sync", after: lastId });
      resend();
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      (handlers[frame.type] || function () {})(frame);
    };
    socket.onclose = function (event) {
      socket = null;
      if (event.code === 4409 || event.code === 4403 || event.code === 4401 || event.code === 4404) {
        stopped = true;
        say(event.code === 4409 ? t("closed") : t("forbidden"));
        if (form) { form.hidden = true; }
        return;
      }
      say(t("reconnecting"));
      if (navigator.onLine === false) { return; }  // the "online" event reconnects
      setTimeout(connect, delay + Math.random() * delay);
      delay = Math.min(delay * 2, 15000);
    };
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = field.value.trim();
      if (!body) { return; }
      var clientId = "w" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
      pending.push({ client_id: clientId, body: body });
      var draft = el("li", "msg mine sending");
      draft.id = "c-" + clientId;
      draft.appendChild(el("p", "body", body));
      draft.appendChild(el("p", "held", t("sending")));
      list.appendChild(draft);
      send({ type: "message.send", client_id: clientId, body: body });
      field.value = "";
      field.focus();
    });
    field.addEventListener("input", function () {
      if (Date.now() - typingSent > 3000) { typingSent = Date.now(); send({ type: "typing" }); }
    });
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
  }

  list.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-report]");
    if (!link) { return; }
    var item = link.closest("li[data-id]");
    if (item && send({ type: "report", message_id: Number(item.getAttribute("data-id")), reason: root.dataset.reportReason })) {
      event.preventDefault();  // reported over the socket in one tap; offline, the link opens the report form
    }
  });

  // A phone that loses its network may keep a dead socket open for minutes: drop it at once, write into
  // the pending list meanwhile, and reconnect (then sync and resend) when the network is back.
  window.addEventListener("offline", function () {
    if (!socket) { return; }
    var dead = socket;
    socket = null;
    dead.onclose = dead.onmessage = null;
    dead.close();
    say(t("reconnecting"));
  });
  window.addEventListener("online", function () { delay = 500; connect(); });
  connect();
})();
