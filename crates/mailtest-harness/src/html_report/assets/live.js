// mailtest serve --http: keeps the list of emails current without a reload.
// Rows are built with textContent only: nothing from an email becomes markup.
"use strict";
(function () {
  const body = document.querySelector("#messages tbody");
  const count = document.getElementById("count");
  const status = document.getElementById("status");
  const empty = document.getElementById("empty");

  function mailboxes(list) {
    return list.map((m) => (m.name ? m.name + " <" + m.address + ">" : m.address)).join(", ");
  }

  function size(bytes) {
    return bytes < 1024 ? bytes + " B" : (bytes / 1024).toFixed(1) + " KiB";
  }

  function row(m) {
    const tr = document.createElement("tr");
    tr.dataset.n = String(m.n);
    const cells = [String(m.n), null, mailboxes(m.from), mailboxes(m.to), size(m.size)];
    cells.forEach((text, i) => {
      const td = document.createElement("td");
      if (i === 1) {
        const a = document.createElement("a");
        a.href = "/m/" + m.n;
        a.textContent = m.subject === null ? "(no subject)" : m.subject;
        td.appendChild(a);
      } else {
        td.textContent = text;
      }
      tr.appendChild(td);
    });
    return tr;
  }

  function shown() {
    count.textContent = String(body.rows.length);
    if (empty) empty.hidden = body.rows.length > 0;
  }

  function add(m) {
    if (body.querySelector('tr[data-n="' + m.n + '"]')) return;
    body.appendChild(row(m));
    shown();
  }

  function resync() {
    fetch("/api/messages")
      .then((r) => r.json())
      .then((list) => {
        body.replaceChildren(...list.map(row));
        shown();
      })
      .catch(() => {});
  }

  const events = new EventSource("/events");
  events.addEventListener("open", () => {
    status.textContent = "live";
    resync();
  });
  events.addEventListener("error", () => {
    status.textContent = "reconnecting…";
  });
  events.addEventListener("email", (e) => add(JSON.parse(e.data)));
  // After a clear, or when this page fell too far behind: the server's list.
  events.addEventListener("cleared", resync);
  events.addEventListener("resync", resync);

  document.getElementById("clear").addEventListener("click", () => {
    fetch("/api/messages", { method: "DELETE" }).catch(() => {});
  });
})();
