//! Accounts and their one-time tokens, in memory (a real shop keeps them in
//! its database).

use std::collections::HashMap;

use lettre::Address;

#[derive(Debug)]
pub(crate) struct Account {
    pub(crate) name: String,
    pub(crate) confirmed: bool,
}

/// What a token lets its holder do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    Confirm,
    Reset,
}

#[derive(Debug, Default)]
pub(crate) struct Accounts {
    by_email: HashMap<Address, Account>,
    tokens: HashMap<String, (Purpose, Address)>,
}

impl Accounts {
    /// Adds an account (or renames one not confirmed yet) and returns its
    /// confirmation token; `None` when the address is already confirmed.
    pub(crate) fn sign_up(&mut self, email: Address, name: &str) -> Option<String> {
        let account =
            self.by_email.entry(email.clone()).or_insert(Account { name: String::new(), confirmed: false });
        if account.confirmed {
            return None;
        }
        account.name = name.to_owned();
        Some(self.issue(Purpose::Confirm, email))
    }

    /// The name and a reset token of a known account; `None` for anyone else.
    pub(crate) fn reset_token(&mut self, email: &Address) -> Option<(String, String)> {
        let name = self.by_email.get(email)?.name.clone();
        Some((name, self.issue(Purpose::Reset, email.clone())))
    }

    /// The address `token` was issued to for `purpose`, without spending it.
    pub(crate) fn holder(&self, purpose: Purpose, token: &str) -> Option<&Address> {
        self.tokens.get(token).filter(|(issued_for, _)| *issued_for == purpose).map(|(_, email)| email)
    }

    /// Spends `token` if it was issued for `purpose`, and returns the
    /// account's address. Confirming marks the account confirmed.
    pub(crate) fn redeem(&mut self, purpose: Purpose, token: &str) -> Option<Address> {
        self.holder(purpose.clone(), token)?;
        let (_, email) = self.tokens.remove(token)?;
        if purpose == Purpose::Confirm
            && let Some(account) = self.by_email.get_mut(&email)
        {
            account.confirmed = true;
        }
        Some(email)
    }

    fn issue(&mut self, purpose: Purpose, email: Address) -> String {
        let token = new_token();
        self.tokens.insert(token.clone(), (purpose, email));
        token
    }
}

/// 128 bits from the operating system's random source, as hex: a link
/// nobody can guess.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
