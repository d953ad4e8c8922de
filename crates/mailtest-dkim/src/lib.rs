//! DKIM verification for tests: is this email signed, and does its
//! signature verify with the key the test provides? No DNS: the key comes
//! from the test, as the private key that signed did.
//!
//! Use it through `mailtest` with the feature `dkim`
//! (`email.assert().dkim_verifies(&key)`); this crate is its engine:
//! [`verify`] checks every DKIM-Signature of a message on its own (RFC 6376
//! §6.1) and says, for one that fails, why — the body changed, a header
//! was added, the key is another, or the signature header's folding
//! changed after signing.
//!
//! ```
//! use mailtest_dkim::{DkimKey, verify};
//!
//! let key = DkimKey::from_dns_record(
//!     "brisbane",
//!     "football.example.com",
//!     "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
//! )?;
//! let signatures = verify(b"From: joe@football.example.com\r\n\r\nHi.\r\n", &[key]);
//! assert!(signatures.is_empty(), "this message is not signed");
//! # Ok::<(), mailtest_dkim::KeyError>(())
//! ```
//!
//! # What is checked
//!
//! `rsa-sha256` and `ed25519-sha256` (RFC 8463); `simple` and `relaxed`
//! canonicalisation of headers and body; `l=` (only that many octets of
//! the body are signed: content after them may change, and a body shorter
//! than `l=` fails); `h=` read bottom-up, a name listed more often than the
//! header appears signing its absence (over-signing, which RFC 8058 asks
//! for `List-Unsubscribe` and `List-Unsubscribe-Post`); the required tags,
//! `v=1`, From signed, `i=` within `d=`. `rsa-sha1` is refused (RFC 8301).
//! `t=` and `x=` are not compared with the clock: a fixture signed once
//! keeps verifying.
//!
//! # Why not mail-auth
//!
//! mail-auth 0.14 and later need mail-parser 1.x, which needs a newer rustc
//! than the workspace's. This is verification only, on the primitives
//! lettre's own signer uses (`rsa`, `ed25519-dalek`, `sha2`), kept out of
//! every build that does not turn on `dkim`.

#![warn(missing_docs)]

mod canon;
mod key;
mod message;
mod tags;
mod verdict;
mod verify;

pub use canon::Canonicalization;
pub use key::{DkimKey, KeyError};
pub use tags::Algorithm;
pub use verdict::{Failure, HeaderChange, Signature};
pub use verify::verify;
