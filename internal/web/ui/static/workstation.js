// Huajie agent workstation: live conversations, alerted ones updated from
// the alerts stream (server-sent events) and the whole list refreshed every
// 5 s by htmx (hx-trigger on #conv-list) for risk changes below the
// threshold; the customer panel (htmx), one click to open a case.
// All visible words come from the page (catalog strings), none from here.
(function () {
  "use strict";
  var root, list, tpl, words, channels, levels, lang;

  function pick(items) {
    return (items || []).map(function (x) { return (lang === "en" && x.en) ? x.en : x.zh; });
  }
  function card(convID) {
    return list.querySelector('li.conv[data-conv="' + CSS.escape(convID) + '"]');
  }
  function fill(li, a) {
    li.dataset.conv = a.conversation_id;
    li.dataset.alert = a.id;
    li.dataset.customer = a.customer_id;
    li.className = "conv risk-" + a.level + " alerted fresh";
    var risk = li.querySelector("[data-risk]");
    risk.textContent = Number(a.risk).toFixed(2);
    risk.className = "risk-badge risk-" + a.level;
    li.querySelector("[data-level]").textContent = levels[a.level] || a.level;
    li.querySelector("[data-alert-flag]").hidden = false;
    li.querySelector("[data-customer-id]").textContent = a.customer_id;
    li.querySelector("[data-channel]").textContent = channels[a.channel] || a.channel;
    var at = new Date(a.message_at || a.updated_at);
    li.querySelector("[data-at]").textContent = at.toLocaleTimeString(lang === "en" ? "en-GB" : "zh-CN", { hour12: false });
    li.querySelector("[data-reasons]").textContent = pick(a.reasons).join("；");
    var ul = li.querySelector("[data-interventions]");
    ul.textContent = "";
    pick(a.interventions).forEach(function (t) { var i = document.createElement("li"); i.textContent = t; ul.appendChild(i); });
    var link = li.querySelector("[data-case-link]"), btn = li.querySelector("[data-open-case]");
    if (a.case_id) {
      link.href = "/ui/cases/" + encodeURIComponent(a.case_id);
      link.hidden = false;
      if (btn) btn.hidden = true;
    } else if (btn) {
      btn.hidden = false;
    }
    // The customer panel loads through htmx (an HTML fragment).
    li.querySelector("[data-show-customer]").setAttribute("hx-get", "/ui/workstation/customer/" + encodeURIComponent(a.customer_id));
    if (window.htmx) htmx.process(li);
    setTimeout(function () { li.classList.remove("fresh"); }, 4000);
  }
  function onEvent(ev) {
    var data;
    try { data = JSON.parse(ev.data); } catch (e) { return; }
    var a = data.alert;
    if (!a || !a.conversation_id) return;
    if (root.dataset.agent && a.agent !== root.dataset.agent) return;
    var li = card(a.conversation_id);
    if (data.kind === "alert.closed") { if (li) li.remove(); updateEmpty(); return; }
    if (!li) {
      li = tpl.content.firstElementChild.cloneNode(true);
    }
    fill(li, a);
    list.insertBefore(li, list.firstChild);
    updateEmpty();
    root.dataset.events = String(Number(root.dataset.events || 0) + 1);
  }
  function updateEmpty() {
    document.getElementById("conv-empty").hidden = list.children.length > 0;
  }
  function connect() {
    var url = "/api/v1/alerts/stream";
    if (root.dataset.agent) url += "?agent=" + encodeURIComponent(root.dataset.agent);
    var es = new EventSource(url);
    var status = document.getElementById("live-status");
    es.onopen = function () { status.dataset.state = "live"; root.dataset.live = "1"; };
    es.onerror = function () { status.dataset.state = "reconnecting"; };
    ["alert.opened", "alert.raised", "alert.acknowledged", "alert.closed", "alert.case_opened"].forEach(function (k) {
      es.addEventListener(k, onEvent);
    });
  }
  function openCase(li, btn) {
    btn.disabled = true;
    fetch("/api/v1/alerts/" + encodeURIComponent(li.dataset.alert) + "/case", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: "{}"
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (body) {
      window.location.href = "/ui/cases/" + encodeURIComponent(body.case.id);
    }).catch(function () {
      btn.disabled = false;
      alert(words.openError);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("workstation");
    if (!root) return;
    list = document.getElementById("conv-list");
    tpl = document.getElementById("conv-template");
    words = document.getElementById("ws-words").content.querySelector("span").dataset;
    channels = JSON.parse(document.getElementById("channel-names").textContent);
    levels = JSON.parse(document.getElementById("level-names").textContent);
    lang = root.dataset.lang;
    list.addEventListener("click", function (e) {
      var li = e.target.closest("li.conv");
      if (!li) return;
      if (e.target.closest("[data-open-case]")) openCase(li, e.target.closest("[data-open-case]"));
    });
    // The periodic refresh replaces the cards with the server's view.
    list.addEventListener("htmx:afterSwap", updateEmpty);
    connect();
  });
})();
