//! Backends of your own, chosen by name through `EMAIL_BACKEND`, as Django
//! picks a third-party backend by its dotted path.
//!
//! Rust cannot load a type by name, so the program says which names exist:
//! [`register_backend`] at start-up, before the settings are read. The
//! registry is process-wide because `EMAIL_BACKEND` is (`Mailer::from_env()`
//! takes no arguments); registering a name again replaces its factory.

use std::sync::{Arc, PoisonError, RwLock};

use super::{EmailBackend, Settings};
use crate::error::Error;

type Make = Arc<dyn Fn(&Settings) -> Result<Box<dyn EmailBackend>, Error> + Send + Sync>;
#[cfg(feature = "tokio")]
type MakeAsync = Arc<dyn Fn(&Settings) -> Result<Box<dyn super::AsyncEmailBackend>, Error> + Send + Sync>;

struct Registered {
    /// Leaked once per name: a `BackendKind` names it and stays `Copy`.
    name: &'static str,
    blocking: Option<Make>,
    #[cfg(feature = "tokio")]
    asynchronous: Option<MakeAsync>,
}

static REGISTRY: RwLock<Vec<Registered>> = RwLock::new(Vec::new());

/// Makes `name` a value of `EMAIL_BACKEND`: a [`Mailer`](crate::Mailer) made
/// from settings that name it gets the backend `make` builds from those
/// settings. An [`AsyncMailer`](crate::AsyncMailer) gets it too, run on
/// tokio's blocking threads (see [`Blocking`](crate::Blocking)), unless an
/// async one is registered under the same name.
///
/// Register before reading the settings (at the start of `main`, or of the
/// test): reading `EMAIL_BACKEND` looks the name up then. Any name but
/// mailtest's own works, a Django-style dotted path included
/// (`myapp.backends.SmsBackend`); looking it up ignores ASCII case when no
/// name matches exactly. Registering a name again replaces its factory.
///
/// # Errors
///
/// [`Error::InvalidSetting`] (for `EMAIL_BACKEND`) when `name` is empty,
/// has white space, or is one of mailtest's own backends.
///
/// ```
/// use mailtest::{DummyBackend, Mailer, Settings};
///
/// mailtest::register_backend("myapp.backends.Archive", |settings: &Settings| {
///     // A real backend would read its options from `settings`.
///     let _ = settings;
///     Ok(DummyBackend)
/// })
/// .unwrap();
///
/// let settings = Settings::from_vars([("EMAIL_BACKEND", "myapp.backends.Archive")]).unwrap();
/// let mailer = Mailer::from_settings(&settings).unwrap();
/// assert!(format!("{mailer:?}").contains("myapp.backends.Archive"));
/// ```
pub fn register_backend<B, F>(name: &str, make: F) -> Result<(), Error>
where
    B: EmailBackend + 'static,
    F: Fn(&Settings) -> Result<B, Error> + Send + Sync + 'static,
{
    let make: Make = Arc::new(move |settings| make(settings).map(|b| Box::new(b) as Box<dyn EmailBackend>));
    register(name, |entry| entry.blocking = Some(make))
}

/// [`register_backend`] for an [`AsyncEmailBackend`](crate::AsyncEmailBackend):
/// what an [`AsyncMailer`](crate::AsyncMailer) made from settings that name
/// it gets (feature `tokio`). A blocking [`Mailer`](crate::Mailer) cannot
/// use it: register a blocking backend under the same name for that.
///
/// # Errors
///
/// As [`register_backend`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mailtest::{AsyncMailer, DummyBackend, Settings};
///
/// mailtest::register_async_backend("http-api", |_: &Settings| Ok(DummyBackend)).unwrap();
///
/// let settings = Settings::from_vars([("EMAIL_BACKEND", "http-api")]).unwrap();
/// let mailer = AsyncMailer::from_settings(&settings).unwrap();
/// # let _ = mailer;
/// # }
/// ```
#[cfg(feature = "tokio")]
pub fn register_async_backend<B, F>(name: &str, make: F) -> Result<(), Error>
where
    B: super::AsyncEmailBackend + 'static,
    F: Fn(&Settings) -> Result<B, Error> + Send + Sync + 'static,
{
    let make: MakeAsync =
        Arc::new(move |settings| make(settings).map(|b| Box::new(b) as Box<dyn super::AsyncEmailBackend>));
    register(name, |entry| entry.asynchronous = Some(make))
}

fn register(name: &str, set: impl FnOnce(&mut Registered)) -> Result<(), Error> {
    let invalid = |expected: &str| Error::InvalidSetting {
        name: "EMAIL_BACKEND".to_owned(),
        value: name.to_owned(),
        expected: expected.to_owned(),
    };
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return Err(invalid("a backend name to register: not empty, without white space"));
    }
    if super::settings::builtin(name).is_some() {
        return Err(invalid(
            "a name that is not one of mailtest's own backends, to register a backend under",
        ));
    }
    let mut registry = REGISTRY.write().unwrap_or_else(PoisonError::into_inner);
    let at = match registry.iter().position(|entry| entry.name == name) {
        Some(at) => at,
        None => {
            registry.push(Registered {
                name: Box::leak(name.to_owned().into_boxed_str()),
                blocking: None,
                #[cfg(feature = "tokio")]
                asynchronous: None,
            });
            registry.len() - 1
        }
    };
    set(&mut registry[at]);
    Ok(())
}

/// The registered name `value` names: exactly, else in any ASCII case.
pub(crate) fn find(value: &str) -> Option<&'static str> {
    let registry = REGISTRY.read().unwrap_or_else(PoisonError::into_inner);
    registry
        .iter()
        .find(|entry| entry.name == value)
        .or_else(|| registry.iter().find(|entry| entry.name.eq_ignore_ascii_case(value)))
        .map(|entry| entry.name)
}

/// Every registered name, in registration order.
pub(crate) fn names() -> Vec<&'static str> {
    REGISTRY.read().unwrap_or_else(PoisonError::into_inner).iter().map(|entry| entry.name).collect()
}

/// The registered backend `name`, made for a blocking mailer.
pub(crate) fn make(name: &str, settings: &Settings) -> Result<Box<dyn EmailBackend>, Error> {
    let make = {
        let registry = REGISTRY.read().unwrap_or_else(PoisonError::into_inner);
        registry.iter().find(|entry| entry.name == name).and_then(|entry| entry.blocking.clone())
    };
    match make {
        Some(make) => make(settings),
        None => Err(Error::backend(
            name,
            "it is registered for async mailers only (register_async_backend): register a blocking \
             backend under the same name with register_backend, or send through an AsyncMailer",
        )),
    }
}

/// The registered backend `name`, made for an async mailer: the async one,
/// else the blocking one on tokio's blocking threads.
#[cfg(feature = "tokio")]
pub(crate) fn make_async(
    name: &str,
    settings: &Settings,
) -> Result<Box<dyn super::AsyncEmailBackend>, Error> {
    let (asynchronous, blocking) = {
        let registry = REGISTRY.read().unwrap_or_else(PoisonError::into_inner);
        let entry = registry.iter().find(|entry| entry.name == name);
        (entry.and_then(|e| e.asynchronous.clone()), entry.and_then(|e| e.blocking.clone()))
    };
    match (asynchronous, blocking) {
        (Some(make), _) => make(settings),
        (None, Some(make)) => Ok(Box::new(super::Blocking::new(make(settings)?))),
        (None, None) => {
            Err(Error::UnknownBackend { value: name.to_owned(), expected: super::settings::valid_backends() })
        }
    }
}
