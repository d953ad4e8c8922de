"""A real SMTP server for mailtest's SMTP backend tests: aiosmtpd, not ours.

Started by tests/integration/backend_smtp.rs on 127.0.0.1 with a free port.
Protocol on stdout, one line each:
  READY <port>
  MSG <mail_from>\t<rcpt,rcpt>\t<auth login/mechanism or ->\t<tls 1/0>\t<client cert CN or ->\t<hex of the message>\t<connection number>
The connection number counts the client's connections from 1, so a test sees how many
connections its messages took. Stops when stdin closes (the test drops its handle), so no
server outlives its test.
"""

import argparse
import asyncio
import itertools
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--cert", help="server certificate (PEM); with --key")
    p.add_argument("--key")
    p.add_argument("--mode", choices=["plain", "starttls", "implicit"], default="plain")
    p.add_argument("--only-mechanism", help="offer only this AUTH mechanism (PLAIN or LOGIN)")
    p.add_argument("--client-ca", help="require a client certificate signed by / equal to this PEM")
    p.add_argument("--refuse", action="append", default=[], help="answer RCPT TO this address with 550")
    p.add_argument("--smtputf8", action="store_true", help="offer SMTPUTF8 (off by default, as in aiosmtpd)")
    return p.parse_args()


class Handler:
    def __init__(self, refused):
        self.refused = set(refused)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        transport = server.transport
        tls = transport.get_extra_info("sslcontext") is not None or session.ssl is not None
        peercert = transport.get_extra_info("peercert") or {}
        cn = "-"
        for rdn in peercert.get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    cn = value
        login = getattr(session, "mailtest_login", None) or "-"
        line = "\t".join(
            [
                envelope.mail_from or "",
                ",".join(envelope.rcpt_tos),
                login,
                "1" if tls else "0",
                cn,
                envelope.original_content.hex(),
                str(server.mailtest_connection),
            ]
        )
        print("MSG " + line, flush=True)
        return "250 2.0.0 Message accepted for delivery"


def main():
    args = parse_args()
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            args.user is not None
            and auth_data.login == args.user.encode()
            and auth_data.password == args.password.encode()
        )
        if ok:
            session.mailtest_login = "%s/%s" % (args.user, mechanism)
        return AuthResult(success=ok, handled=False)

    handler = Handler(args.refuse)
    connections = itertools.count(1)

    def factory():
        kwargs = {"enable_SMTPUTF8": args.smtputf8}
        if args.user is not None:
            kwargs.update(authenticator=authenticator, auth_require_tls=args.mode == "starttls")
            if args.only_mechanism:
                others = {"PLAIN", "LOGIN"} - {args.only_mechanism}
                kwargs.update(auth_exclude_mechanism=sorted(others))
        if args.mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        smtp = SMTP(handler, hostname="mailtest-aiosmtpd", **kwargs)
        smtp.mailtest_connection = next(connections)
        return smtp

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            factory, "127.0.0.1", 0, ssl=context if args.mode == "implicit" else None
        )
        print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
        await loop.run_in_executor(None, sys.stdin.read)
        server.close()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
