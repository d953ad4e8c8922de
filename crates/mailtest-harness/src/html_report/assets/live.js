// mailtest serve --http: keeps the list of one namespace current without a
// reload, searches it, and deletes from it. Every URL is relative to the
// page (`/` or `/ns/NAME/`), so the same script serves every namespace.
// Rows are built with textContent only: nothing from an email becomes markup.
"use strict";
(function () {
  const body = document.querySelector("#messages tbody");
  const count = document.getElementById("count");
  const status = document.getElementById("status");
  const empty = document.getElementById("empty");
  const search = document.getElementById("search");
  const problem = document.getElementById("search-error");

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
        a.href = "m/" + m.n;
        a.textContent = m.subject === null ? "(no subject)" : m.subject;
        td.appendChild(a);
      } else {
        td.textContent = text;
      }
      tr.appendChild(td);
    });
    const td = document.createElement("td");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "delete";
    button.dataset.n = String(m.n);
    button.title = "Delete this email";
    button.textContent = "Delete";
    td.appendChild(button);
    tr.appendChild(td);
    return tr;
  }

  function shown() {
    count.textContent = String(body.rows.length);
    if (empty) empty.hidden = body.rows.length > 0;
  }

  function remove(n) {
    const tr = body.querySelector('tr[data-n="' + n + '"]');
    if (tr) tr.remove();
    shown();
  }

  // The list as the server has it, for the search in the box.
  function resync() {
    const q = search.value.trim();
    fetch(q ? "api/messages?q=" + encodeURIComponent(q) : "api/messages")
      .then((r) => r.json().then((json) => ({ ok: r.ok, json })))
      .then(({ ok, json }) => {
        problem.hidden = ok;
        problem.textContent = ok ? "" : json.error;
        if (!ok) return;
        body.replaceChildren(...json.map(row));
        shown();
      })
      .catch(() => {});
  }

  const events = new EventSource("events");
  events.addEventListener("open", () => {
    status.textContent = "live";
    resync();
  });
  events.addEventListener("error", () => {
    status.textContent = "reconnecting…";
  });
  // A new email: shown at once, or, while searching, if the search finds it.
  events.addEventListener("email", (e) => {
    if (search.value.trim()) return resync();
    const m = JSON.parse(e.data);
    if (!body.querySelector('tr[data-n="' + m.n + '"]')) body.appendChild(row(m));
    shown();
  });
  events.addEventListener("deleted", (e) => remove(JSON.parse(e.data).n));
  // After a clear, or when this page fell too far behind: the server's list.
  events.addEventListener("cleared", resync);
  events.addEventListener("resync", resync);

  let typing = null;
  search.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      const q = search.value.trim();
      history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : "./");
      resync();
    }, 150);
  });

  body.addEventListener("click", (e) => {
    const button = e.target.closest("button.delete");
    if (!button) return;
    const n = button.dataset.n;
    fetch("api/messages/" + n, { method: "DELETE" })
      .then((r) => { if (r.ok) remove(n); })
      .catch(() => {});
  });

  document.getElementById("clear").addEventListener("click", () => {
    fetch("api/messages", { method: "DELETE" }).catch(() => {});
  });
})();
