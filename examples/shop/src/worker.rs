//! The receipt worker: a task spawned at start-up that sends a receipt for
//! each order placed, so `POST /orders` answers without waiting for SMTP.
//!
//! A temporary failure (a 4xx reply: greylisting, a rate limit, a full
//! queue) is retried, a few times, with the same message — the same
//! Message-ID. A failure whose outcome is unknown (the connection dropped
//! after the whole receipt was sent: the server may have it) is not: a
//! second receipt is worse than a late one. See `mailtest_mailer::Error::outcome_unknown`.

use std::time::Duration;

use mailtest_mailer::AsyncMailer;
use tokio::sync::mpsc;

use crate::emails;
use crate::orders::Order;

/// How many times a receipt is tried before the worker gives up on it.
const TRIES: u32 = 3;
/// The wait before the first retry; it doubles for each one after.
const FIRST_BACKOFF: Duration = Duration::from_millis(20);

/// Sends the receipts of the orders queued, until every sender is gone.
pub(crate) async fn send_receipts(mailer: AsyncMailer, mut queue: mpsc::Receiver<Order>) {
    while let Some(order) = queue.recv().await {
        if let Err(err) = send_receipt(&mailer, &order).await {
            // A real shop would keep the order for a person to look at.
            eprintln!("shop: the receipt for order {} was not sent: {err}", order.id);
        }
    }
}

/// Sends one receipt, retrying what is safe to retry.
async fn send_receipt(mailer: &AsyncMailer, order: &Order) -> Result<(), mailtest_mailer::Error> {
    let receipt = emails::receipt(order);
    let mut backoff = FIRST_BACKOFF;
    for tried in 1..=TRIES {
        match mailer.send(receipt.clone()).await {
            Ok(()) => return Ok(()),
            Err(err) if err.is_temporary() && tried < TRIES => {
                tokio::time::sleep(backoff).await;
                backoff *= 2;
            }
            Err(err) => return Err(err),
        }
    }
    unreachable!("the last try returns")
}
