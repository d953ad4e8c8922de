//! The replies the fault tests put at each stage — a temporary and a
//! permanent one where a server gives both — in one table: the default
//! suite plays them on every path of mailtest (tests/integration/faults),
//! the interop suite compares each with aiosmtpd answering the same way.

use mailtest::Stage;

/// Each reply: the stage, the code, the text (with its enhanced status).
pub(crate) const FAULT_REPLIES: [(Stage, u16, &str); 15] = [
    (Stage::Greeting, 421, "4.3.2 service not available"),
    (Stage::Greeting, 554, "5.3.2 no service here"),
    (Stage::Ehlo, 502, "5.5.1 EHLO not implemented"),
    (Stage::StartTls, 454, "4.7.0 TLS not available"),
    (Stage::Auth, 535, "5.7.8 credentials invalid"),
    (Stage::Auth, 454, "4.7.0 temporary authentication failure"),
    (Stage::Mail, 451, "4.3.0 try again later"),
    (Stage::Mail, 421, "4.7.0 too many connections, closing"),
    (Stage::Mail, 552, "5.3.4 message too big"),
    (Stage::Rcpt, 550, "5.1.1 no such user"),
    (Stage::Rcpt, 452, "4.2.2 mailbox full"),
    (Stage::Data, 451, "4.3.0 local error"),
    (Stage::Data, 554, "5.5.1 no valid recipients"),
    (Stage::EndOfData, 451, "4.3.0 try again later"),
    (Stage::EndOfData, 554, "5.7.1 rejected as spam"),
];
