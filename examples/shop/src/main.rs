//! The shop's production binary.
//!
//! ```sh
//! SHOP_ADDR=127.0.0.1:3000 EMAIL_HOST=smtp.example.com EMAIL_PORT=587 EMAIL_USE_TLS=true \
//!     EMAIL_HOST_USER=shop EMAIL_HOST_PASSWORD=... cargo run
//! ```
//!
//! `SHOP_ADDR` is where it listens (default `127.0.0.1:3000`; port 0 picks a
//! free one), `SHOP_BASE_URL` where the links in its emails point (default
//! `http://` and the address it listens on). The `EMAIL_*` variables choose
//! the mail backend, as Django's settings do (see `mailtest_mailer::Settings`).
//! Once listening it prints `shop listening on http://ADDR` on stdout.

use std::io::Write;
use std::process::ExitCode;

use mailtest_mailer::AsyncMailer;
use shop::AppState;

#[tokio::main]
async fn main() -> ExitCode {
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("shop: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    // A bad EMAIL_* setting stops the shop here, naming the setting.
    let mailer = AsyncMailer::from_env()?;
    let addr = std::env::var("SHOP_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|err| format!("cannot listen on {addr}: {err}"))?;
    let addr = listener.local_addr()?;
    let base_url = std::env::var("SHOP_BASE_URL").unwrap_or_else(|_| format!("http://{addr}"));

    let state = AppState::start(mailer, &base_url);
    println!("shop listening on http://{addr}");
    std::io::stdout().flush()?;
    axum::serve(listener, shop::app(state)).await?;
    Ok(())
}
