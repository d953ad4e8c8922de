//! The receipt worker: a task spawned at start-up that sends a receipt for
//! each order placed, so `POST /orders` answers without waiting for SMTP.

use mailtest_mailer::AsyncMailer;
use tokio::sync::mpsc;

use crate::emails;
use crate::orders::Order;

/// Sends the receipts of the orders queued, until every sender is gone.
pub(crate) async fn send_receipts(mailer: AsyncMailer, mut queue: mpsc::Receiver<Order>) {
    while let Some(order) = queue.recv().await {
        if let Err(err) = mailer.send(emails::receipt(&order)).await {
            // A real shop would retry later, or keep the order for a person
            // to look at; the example only logs.
            eprintln!("shop: the receipt for order {} was not sent: {err}", order.id);
        }
    }
}
