//! DKIM as an assertion (feature `dkim`): `email.assert().dkim_verifies(&keys)`.
//!
//! # What "signed and verifies" means
//!
//! The keys a test gives name the domains and selectors it signs with.
//! The assertion passes when the email has at least one DKIM-Signature
//! made with one of those keys, and every signature made with one of them
//! verifies. Signatures of other domains (a mailing list's, an ESP's) are
//! listed in a failure but decide nothing: RFC 6376 §6.1 judges each
//! signature on its own, and a list that re-signs a message whose footer
//! broke the author's signature makes the list's signature valid, not the
//! author's. So that message fails `dkim_verifies(&[author_key])` (the
//! author's signature fails, with the reason) and passes
//! `dkim_verifies(&[list_key])`. Two signatures of your own (RSA and
//! Ed25519 side by side) must both verify: one that fails is a bug in
//! your signing, whatever the other says. A DKIM-Signature header that
//! cannot be read fails the assertion too: there is no telling whose it is.

use std::fmt::Write as _;

use mailtest_dkim::{DkimKey, Signature};

use crate::assert::EmailAssert;
use crate::email::Email;
use crate::failure::{Failure, summary};

impl Email {
    /// Every DKIM-Signature of the email, top first, each verified with
    /// `keys` (no DNS: a signature whose key is not given does not verify,
    /// and says so). Feature `dkim`.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: a@example.com\r\nSubject: Hi\r\n\r\nHi\r\n");
    /// assert!(email.dkim(&[]).is_empty());
    /// ```
    pub fn dkim(&self, keys: &[DkimKey]) -> Vec<Signature> {
        mailtest_dkim::verify(self.raw(), keys)
    }
}

impl<'a> EmailAssert<'a> {
    /// The email is DKIM-signed with one of `keys`, and every signature made
    /// with one of them verifies (see [what that means](crate::lint::dkim)).
    /// Feature `dkim`.
    ///
    /// # Panics
    ///
    /// Otherwise, at your line: each signature with its verdict and, for one
    /// that fails, why (the body changed, a header was added, the key is
    /// another, the signature header was refolded after signing, …).
    ///
    /// ```
    /// use mailtest_harness::dkim::DkimKey; // `mailtest::dkim::DkimKey` with mailtest's feature `dkim`
    ///
    /// let key = DkimKey::from_dns_record("s1", "example.com", "k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=").unwrap();
    /// let email = mailtest::Email::from_raw("From: a@example.com\r\nSubject: Hi\r\n\r\nHi\r\n");
    /// let failure = email.assert().try_dkim_verifies(&[key]).unwrap_err();
    /// assert!(failure.report().contains("is not DKIM-signed: it has no DKIM-Signature header"));
    /// ```
    #[track_caller]
    pub fn dkim_verifies(self, keys: &[DkimKey]) -> Self {
        match self.try_dkim_verifies(keys) {
            Ok(chain) => chain,
            Err(failure) => failure.panic(),
        }
    }

    /// [`dkim_verifies`](EmailAssert::dkim_verifies), returning the report
    /// instead of panicking.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("From: a@example.com\r\n\r\nHi\r\n");
    /// assert!(email.assert().try_dkim_verifies(&[]).is_err());
    /// ```
    pub fn try_dkim_verifies(self, keys: &[DkimKey]) -> Result<Self, Failure> {
        let signatures = self.email().dkim(keys);
        let ours = |signature: &Signature| {
            keys.iter().any(|key| {
                signature.domain() == Some(key.domain()) && signature.selector() == Some(key.selector())
            })
        };
        let unreadable = |signature: &Signature| signature.domain().is_none();
        let mine: Vec<&Signature> = signatures.iter().filter(|s| ours(s)).collect();
        let failing = signatures.iter().filter(|s| (ours(s) || unreadable(s)) && !s.verifies()).count();
        if !mine.is_empty() && failing == 0 {
            return Ok(self);
        }
        Err(report(self.email(), keys, &signatures, &ours, (failing, mine.len())))
    }
}

fn report(
    email: &Email,
    keys: &[DkimKey],
    signatures: &[Signature],
    ours: &dyn Fn(&Signature) -> bool,
    (failing, judged): (usize, usize),
) -> Failure {
    let mut out = format!("{} is not DKIM-signed", summary(email));
    let given: Vec<String> = keys.iter().map(ToString::to_string).collect();
    let given = if given.is_empty() { "none".to_owned() } else { given.join(", ") };
    if signatures.is_empty() {
        out.push_str(": it has no DKIM-Signature header");
    } else if failing > 0 {
        let judged = judged.max(failing);
        let made =
            if judged == 1 { "signature made with a key given" } else { "signatures made with a key given" };
        let verb = if failing == 1 { "fails" } else { "fail" };
        let _ = write!(out, ": {failing} of {judged} {made} {verb}");
    } else {
        out.push_str(": no signature was made with a key the test gave");
    }
    let _ = write!(out, "\n\nkeys given: {given}");
    for signature in signatures {
        let _ = match (ours(signature) || signature.domain().is_none(), signature.verifies()) {
            (true, true) => write!(out, "\n  ✓ {signature}"),
            (true, false) => write!(out, "\n  ✗ {signature}"),
            (false, _) => write!(out, "\n  – {}: not judged (no key given for it)", signature.description()),
        };
    }
    out.push_str(
        "\n\nPasses when a signature made with a key given verifies, and every signature made with one does \
         (signatures of other domains are not judged: RFC 6376 §6.1).",
    );
    Failure::from_text(out.clone(), out).showing_email(email)
}
