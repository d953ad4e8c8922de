//! Nothing to use: this package holds the tests of mailtest's DKIM
//! verification against lettre's DKIM signer (`tests/`), apart from the
//! workspace's default members so that lettre's `dkim` feature stays out
//! of their builds.
