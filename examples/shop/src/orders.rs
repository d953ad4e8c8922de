//! Orders, as the receipt worker gets them.

use lettre::Address;
use serde::Deserialize;

/// One line of an order.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Item {
    pub(crate) name: String,
    /// The price in cents: money is never a float.
    pub(crate) cents: u64,
}

/// An order placed and waiting for its receipt.
#[derive(Clone, Debug)]
pub(crate) struct Order {
    pub(crate) id: u64,
    pub(crate) email: Address,
    pub(crate) items: Vec<Item>,
}

impl Order {
    pub(crate) fn total_cents(&self) -> u64 {
        self.items.iter().map(|item| item.cents).sum()
    }
}

/// `1250` as `EUR 12.50`.
pub(crate) fn money(cents: u64) -> String {
    format!("EUR {}.{:02}", cents / 100, cents % 100)
}
