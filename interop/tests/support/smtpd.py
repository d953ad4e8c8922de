"""A real SMTP server for mailtest's SMTP backend tests: aiosmtpd, not ours.

Started by tests/integration/backend_smtp.rs on 127.0.0.1 with a free port.
Protocol on stdout, one line each:
  READY <port>
  MSG <mail_from>\t<rcpt,rcpt>\t<auth login/mechanism or ->\t<tls 1/0>\t<client cert CN or ->\t<hex of the message>\t<connection number>\t<port>
The connection number counts the client's connections to that server from 1, so a test sees
how many connections its messages took; the port says which server stored it (see --each). Stops when stdin closes (the test drops its handle), so no
server outlives its test.

--fault answers the way a mailtest fault plan does, for the fault tests to compare what a
client sees from this server and from mailtest's (one --fault each, asked in order):
  reply:STAGE:CODE TEXT   answer CODE TEXT at STAGE (421 closes the connection)
  timeout:STAGE           say nothing at STAGE, until the client hangs up
  disconnect:STAGE        close the connection at STAGE without a reply
  reply-lost              store the message (its MSG line), then close instead of the 250
  greylist                450 to the first RCPT of each sender and recipient pair
  rate-limit:N            421 at MAIL once N messages were accepted, and close
STAGE is one of greeting, ehlo, starttls, auth, mail, rcpt, data, end-of-data.

--each serves each --fault from a server of its own (its own port, counts and READY line, in
the order given), all in this one process: a test that compares many faults starts Python
once, not once a fault.
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
    p.add_argument("--fault", action="append", default=[], help="answer by a fault (see above)")
    p.add_argument("--each", action="store_true", help="a server for each --fault (see above)")
    return p.parse_args()


class Faults:
    """The --fault options at work: which one answers a stage, and its counts."""

    def __init__(self, specs):
        self.faults = [spec.split(":", 2) for spec in specs]
        self.greylisted = set()
        self.accepted = 0

    def at(self, stage, mail_from=None, rcpt=None):
        """The fault that answers at `stage`, as (kind, reply text or None), or None."""
        for fault in self.faults:
            kind = fault[0]
            if kind in ("reply", "timeout", "disconnect") and fault[1] == stage:
                return kind, fault[2] if kind == "reply" else None
            if kind == "reply-lost" and stage == "end-of-data":
                return kind, None
            if kind == "greylist" and stage == "rcpt" and (mail_from, rcpt) not in self.greylisted:
                self.greylisted.add((mail_from, rcpt))
                return "reply", "450 4.2.0 greylisted, try again later"
            if kind == "rate-limit" and stage == "mail" and self.accepted >= int(fault[1]):
                limit = int(fault[1])
                return "reply", "421 4.7.0 rate limit exceeded: %d messages accepted, closing connection" % limit
        return None


async def answer(server, fault):
    """Answers by `fault` ((kind, reply)); True when the command is answered."""
    if fault is None:
        return False
    kind, reply = fault
    if kind == "reply":
        await server.push(reply)
        if reply.startswith("421"):
            server.transport.close()
    elif kind == "timeout":
        await asyncio.sleep(3600)  # cancelled when the client hangs up
    else:  # disconnect, reply-lost
        server.transport.close()
    return True


class FaultySMTP(SMTP):
    """aiosmtpd, answering the commands of a stage by the --fault options."""

    def __init__(self, handler, faults, **kwargs):
        super().__init__(handler, **kwargs)
        self.faults = faults

    async def _handle_client(self):
        fault = self.faults.at("greeting")
        if fault is None:
            return await super()._handle_client()
        await answer(self, fault)
        self.transport.close()  # a refused greeting ends the session

    async def smtp_EHLO(self, arg):
        if not await answer(self, self.faults.at("ehlo")):
            await super().smtp_EHLO(arg)

    async def smtp_STARTTLS(self, arg):
        if not await answer(self, self.faults.at("starttls")):
            await super().smtp_STARTTLS(arg)

    async def smtp_AUTH(self, arg):
        if not await answer(self, self.faults.at("auth")):
            await super().smtp_AUTH(arg)

    async def smtp_MAIL(self, arg):
        if not await answer(self, self.faults.at("mail")):
            await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg):
        rcpt = (arg or "").partition(":")[2].strip().split(" ")[0].strip("<>")
        if not await answer(self, self.faults.at("rcpt", self.envelope.mail_from, rcpt)):
            await super().smtp_RCPT(arg)

    async def smtp_DATA(self, arg):
        if not await answer(self, self.faults.at("data")):
            await super().smtp_DATA(arg)


class Handler:
    def __init__(self, refused, faults):
        self.refused = set(refused)
        self.faults = faults

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        fault = self.faults.at("end-of-data")
        if fault is None:
            self.store(server, session, envelope)
            self.faults.accepted += 1
            return "250 2.0.0 Message accepted for delivery"
        kind, reply = fault
        if kind == "reply":
            if reply.startswith("421"):
                # Runs after aiosmtpd writes the reply returned here.
                asyncio.get_running_loop().call_soon(server.transport.close)
            return reply
        if kind == "reply-lost":
            self.store(server, session, envelope)
            server.transport.close()
        else:
            await answer(server, fault)
        # Written to a closed transport, which drops it: the client sees no reply.
        return "250 never seen"

    def store(self, server, session, envelope):
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
                str(transport.get_extra_info("sockname")[1]),
            ]
        )
        print("MSG " + line, flush=True)


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

    def factory_for(faults):
        """Makes the SMTP sessions of one server, answering by `faults`."""
        handler = Handler(args.refuse, faults)
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
            if args.fault:
                kwargs.update(auth_require_tls=False)
                if context is None:
                    # Offers STARTTLS, for a fault at STARTTLS to answer (no handshake follows).
                    kwargs.update(tls_context=ssl.create_default_context(ssl.Purpose.CLIENT_AUTH))
            smtp = FaultySMTP(handler, faults, hostname="mailtest-aiosmtpd", **kwargs)
            smtp.mailtest_connection = next(connections)
            return smtp

        return factory

    fault_sets = [[spec] for spec in args.fault] if args.each else [args.fault]

    async def serve():
        loop = asyncio.get_running_loop()
        servers = []
        for specs in fault_sets:
            server = await loop.create_server(
                factory_for(Faults(specs)), "127.0.0.1", 0, ssl=context if args.mode == "implicit" else None
            )
            servers.append(server)
            print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
        await loop.run_in_executor(None, sys.stdin.read)
        for server in servers:
            server.close()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
