//! The HTTP API: what each request does, and which email it sends.

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use lettre::Address;
use serde::{Deserialize, Serialize};

use crate::accounts::Purpose;
use crate::emails;
use crate::orders::{Item, Order};
use crate::state::AppState;

/// The shop's routes over `state`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/signup", post(sign_up))
        .route("/confirm", get(confirm))
        .route("/password-reset", post(request_password_reset))
        .route("/reset", get(reset_form))
        .route("/orders", post(place_order))
        .with_state(state)
}

#[derive(Deserialize)]
struct SignUp {
    email: String,
    name: String,
}

/// `POST /signup {"email", "name"}`: 201 once the welcome email is sent, 409
/// for an address already confirmed.
async fn sign_up(State(state): State<AppState>, Json(form): Json<SignUp>) -> Result<StatusCode, ApiError> {
    let email = parse_email(&form.email)?;
    let name = form.name.trim();
    if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::InvalidName);
    }
    let token = state.accounts().sign_up(email.clone(), name).ok_or(ApiError::AlreadyConfirmed)?;
    let link = state.link("/confirm", &token);
    state.mailer.send(emails::welcome(&email, name, &link)).await.map_err(ApiError::MailNotSent)?;
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize)]
struct Token {
    token: String,
}

/// `GET /confirm?token=..`: the link of the welcome email.
async fn confirm(State(state): State<AppState>, Query(query): Query<Token>) -> Result<String, ApiError> {
    let email = state.accounts().redeem(Purpose::Confirm, &query.token).ok_or(ApiError::UnknownToken)?;
    Ok(format!("Thank you: {email} is confirmed."))
}

#[derive(Deserialize)]
struct ResetRequest {
    email: String,
}

/// `POST /password-reset {"email"}`: 202 whether or not the account exists,
/// so the answer does not tell who has one; only a known account gets mail.
async fn request_password_reset(
    State(state): State<AppState>,
    Json(form): Json<ResetRequest>,
) -> Result<StatusCode, ApiError> {
    let email = parse_email(&form.email)?;
    // Bound first: the lock must be released before the send awaits.
    let known = state.accounts().reset_token(&email);
    if let Some((name, token)) = known {
        let link = state.link("/reset", &token);
        state
            .mailer
            .send(emails::password_reset(&email, &name, &link))
            .await
            .map_err(ApiError::MailNotSent)?;
    }
    Ok(StatusCode::ACCEPTED)
}

/// `GET /reset?token=..`: the link of the reset email (the form itself is
/// left out of the example).
async fn reset_form(State(state): State<AppState>, Query(query): Query<Token>) -> Result<String, ApiError> {
    let email =
        state.accounts().holder(Purpose::Reset, &query.token).cloned().ok_or(ApiError::UnknownToken)?;
    Ok(format!("Choose a new password for {email}."))
}

#[derive(Deserialize)]
struct NewOrder {
    email: String,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Placed {
    order: u64,
}

/// `POST /orders {"email", "items": [{"name", "cents"}]}`: 202 with the
/// order's number; the receipt worker sends the receipt.
async fn place_order(
    State(state): State<AppState>,
    Json(form): Json<NewOrder>,
) -> Result<(StatusCode, Json<Placed>), ApiError> {
    let email = parse_email(&form.email)?;
    if form.items.is_empty() {
        return Err(ApiError::EmptyOrder);
    }
    let order = Order { id: state.next_order_id(), email, items: form.items };
    let placed = Placed { order: order.id };
    state.receipts.send(order).await.map_err(|_| ApiError::WorkerStopped)?;
    Ok((StatusCode::ACCEPTED, Json(placed)))
}

fn parse_email(email: &str) -> Result<Address, ApiError> {
    email.trim().parse().map_err(|_| ApiError::InvalidEmail)
}

/// What a request can fail with, as the client sees it.
#[derive(Debug)]
enum ApiError {
    InvalidEmail,
    InvalidName,
    AlreadyConfirmed,
    EmptyOrder,
    UnknownToken,
    MailNotSent(mailtest_mailer::Error),
    WorkerStopped,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::InvalidEmail => (StatusCode::UNPROCESSABLE_ENTITY, "that is not an email address"),
            ApiError::InvalidName => (StatusCode::UNPROCESSABLE_ENTITY, "a name is 1 to 100 characters"),
            ApiError::AlreadyConfirmed => (StatusCode::CONFLICT, "this address already has an account"),
            ApiError::EmptyOrder => (StatusCode::UNPROCESSABLE_ENTITY, "an order has at least one item"),
            ApiError::UnknownToken => (StatusCode::NOT_FOUND, "this link has expired or was already used"),
            ApiError::MailNotSent(err) => {
                eprintln!("shop: an email was not sent: {err}");
                (StatusCode::SERVICE_UNAVAILABLE, "we could not send you an email; please try again later")
            }
            ApiError::WorkerStopped => {
                (StatusCode::SERVICE_UNAVAILABLE, "orders are closed; please try again later")
            }
        };
        (status, message).into_response()
    }
}
