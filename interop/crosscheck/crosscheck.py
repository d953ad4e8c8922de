#!/usr/bin/env python3
"""Cross-checks mailtest's decoding of a corpus against Python's `email`
package (policy.default), an independent decoder.

    python3 interop/crosscheck/crosscheck.py CORPUS DECODED.jsonl [--allow ALLOW.tsv] [--show N]

DECODED.jsonl is what `cargo run -p mailtest-interop --bin corpus_sweep -- CORPUS --json
DECODED.jsonl` wrote. For every message (not the mailboxes in `_mbox/`),
Python decodes the same file and both are compared field by field: subject,
the From/To/Cc addresses and names, the text and HTML bodies, and the
attachments' names and sizes. Bodies are chosen on both sides by RFC 8621's
`parseStructure` (mail clients' rule), implemented here on Python's tree, so
the comparison is of decoding, not of two selection policies.

A disagreement that is Python's doing is listed in ALLOW.tsv
(`path<TAB>field<TAB>reason`); any other one fails the run. Allowed entries
that no longer disagree are reported, so the list stays honest.
"""

import json
import sys
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.utils import getaddresses
from pathlib import Path

FIELDS = ("subject", "from", "to", "cc", "text", "html", "attachments")


def unescape(text):
    """Python keeps the raw 8-bit bytes of a header as surrogate escapes:
    read them as a mail client does, UTF-8 (RFC 6532) or else windows-1252."""
    if not text or not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def words(text):
    text = unescape(text)
    return " ".join(text.split()) if text else None


def body_text(text):
    """Line ends and trailing white space do not count."""
    if text is None:
        return None
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def filename(part):
    try:
        name = part.get_filename()
    except Exception:  # a header Python cannot parse
        return None
    if name and "=?" in name:
        try:
            name = str(make_header(decode_header(name)))
        except Exception:
            pass
    name = name.strip() if name else None
    return name or None


def content_type(part):
    ctype = part.get_content_type()
    if ctype.startswith("multipart/") and not isinstance(part.get_payload(), list):
        return "text/plain"  # no boundary, or no part found: read as text, as mailtest does
    return ctype


def is_multipart(part):
    return content_type(part).startswith("multipart/")


def structure(parts, multipart_type, in_alternative, text_body, html_body, out):
    """RFC 8621 §4.1.4 parseStructure; `out` gets (part, role)."""
    for i, part in enumerate(parts):
        ctype = content_type(part)
        media = ctype.split("/")[0] in ("image", "audio", "video")
        disposition = part.get_content_disposition()
        inline = (
            disposition != "attachment"
            and (ctype in ("text/plain", "text/html") or media)
            and (i == 0 or (multipart_type != "related" and (media or not filename(part))))
        )
        if is_multipart(part):
            sub = ctype.split("/", 1)[1]
            structure(part.get_payload(), sub, in_alternative or sub == "alternative", text_body, html_body, out)
            continue
        role = "attachment"
        if inline:
            if multipart_type == "alternative":
                role = {"text/plain": "text", "text/html": "html"}.get(ctype, "attachment")
            else:
                if in_alternative:
                    if ctype == "text/plain":
                        html_body = False
                    if ctype == "text/html":
                        text_body = False
                if ctype == "text/plain" and text_body:
                    role = "text"
                elif ctype == "text/html" and html_body:
                    role = "html"
        out.append((part, role))


def decoded_text(part):
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        return payload.decode(charset, errors="replace")
    except (LookupError, ValueError):  # an unknown or malformed charset name
        return payload.decode("utf-8", errors="replace")


def addresses(msg, name):
    """Every occurrence of the field, each read by policy.default's parser,
    or by the legacy `getaddresses` where that one raises."""
    found = []
    for key, raw in msg.raw_items():
        if key.lower() != name:
            continue
        try:
            header = msg.policy.header_fetch_parse(key, raw)
            pairs = [(address.display_name, address.addr_spec) for address in header.addresses]
        except Exception:
            pairs = getaddresses([str(raw)])
        for display_name, addr_spec in pairs:
            if addr_spec and addr_spec != "<>":
                found.append({"name": words(display_name), "address": unescape(addr_spec).lower()})
    return found


def python_view(raw):
    msg = message_from_bytes(raw, policy=policy.default)
    try:
        subject = msg["subject"]
    except Exception as error:
        subject = f"<python failed: {error}>"
    leaves = []
    if is_multipart(msg):
        sub = content_type(msg).split("/", 1)[1]
        structure(msg.get_payload(), sub, sub == "alternative", True, True, leaves)
    else:
        structure([msg], "mixed", False, True, True, leaves)
    text = [decoded_text(part) for part, role in leaves if role == "text"]
    html = [decoded_text(part) for part, role in leaves if role == "html"]
    attachments = []
    for part, role in leaves:
        if role != "attachment":
            continue
        ctype = content_type(part)
        size = None if ctype.startswith("message/") else len(part.get_payload(decode=True) or b"")
        attachments.append({"filename": filename(part), "size": size})
    return {
        "subject": words(str(subject)) if subject is not None else None,
        "from": addresses(msg, "from"),
        "to": addresses(msg, "to"),
        "cc": addresses(msg, "cc"),
        "text": body_text(join(text)),
        "html": body_text(join(html)),
        "attachments": attachments,
    }


def join(bodies):
    if not bodies:
        return None
    joined = ""
    for body in bodies:
        if joined and not joined.endswith("\n"):
            joined += "\n"
        joined += body
    return joined


def rust_view(record):
    def boxes(mailboxes):
        return [{"name": words(m["name"]), "address": m["address"].lower()} for m in mailboxes]

    return {
        "subject": words(record["subject"]),
        "from": boxes(record["from"]),
        "to": boxes(record["to"]),
        "cc": boxes(record["cc"]),
        "text": body_text(record["text"]),
        "html": body_text(record["html"]),
        "attachments": [
            {
                "filename": a["filename"],
                "size": None if a["content_type"].startswith("message/") else a["size"],
            }
            for a in record["attachments"]
        ],
    }


def shorten(value, width=160):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def first_difference(a, b):
    if not isinstance(a, str) or not isinstance(b, str):
        return a, b
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, at - 40)
    return a[start : at + 80], b[start : at + 80]


def load_allow(path):
    allowed = {}
    if path is None:
        return allowed
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[2].strip():
            sys.exit(f"{path}:{number}: expected `path<TAB>field<TAB>reason`, got {line!r}")
        allowed[(parts[0], parts[1])] = parts[2]
    return allowed


def main(argv):
    args = list(argv)
    allow_path = None
    show = 40
    if "--allow" in args:
        i = args.index("--allow")
        allow_path = args[i + 1]
        del args[i : i + 2]
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    corpus, decoded = Path(args[0]), Path(args[1])
    if not corpus.is_dir():
        sys.exit(f"crosscheck: the corpus directory {corpus} is missing")
    allowed = load_allow(allow_path)
    records = [json.loads(line) for line in decoded.read_text(encoding="utf-8").splitlines()]
    records = [r for r in records if not r["path"].startswith("_mbox/")]
    if not records:
        sys.exit(f"crosscheck: no message in {decoded}")

    disagreements, allowed_hits = [], set()
    messages_disagreeing = set()
    for record in records:
        raw = (corpus / record["path"]).read_bytes()
        ours, theirs = rust_view(record), python_view(raw)
        for field in FIELDS:
            if ours[field] == theirs[field]:
                continue
            key = (record["path"], field)
            if key in allowed:
                allowed_hits.add(key)
                continue
            messages_disagreeing.add(record["path"])
            disagreements.append((record["path"], field, ours[field], theirs[field]))

    for path, field, ours, theirs in disagreements[:show]:
        ours_shown, theirs_shown = first_difference(ours, theirs)
        print(f"{path}\t{field}\n    mailtest: {shorten(ours_shown)}\n    python:   {shorten(theirs_shown)}")
    if len(disagreements) > show:
        print(f"... and {len(disagreements) - show} more")
    stale = sorted(set(allowed) - allowed_hits)
    for path, field in stale:
        print(f"note: allowed but no longer disagreeing (remove it from the allow-list): {path}\t{field}")
    allowed_messages = {path for path, _ in allowed_hits}
    print(
        f"crosscheck: {len(records)} messages compared with Python's email package; "
        f"{len(messages_disagreeing)} disagree ({len(disagreements)} fields), "
        f"{len(allowed_messages)} more disagree only where Python is wrong (allow-list, {len(allowed_hits)} fields)"
    )
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
