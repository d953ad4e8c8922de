//! Compiles only: lettre's own native-tls SMTP transport and mailtest's
//! rustls SMTP backend in one binary.

fn main() {
    let _native = lettre::SmtpTransport::relay("smtp.example.com").map(|b| b.build());
    let settings = mailtest::Settings::from_vars([("EMAIL_HOST", "smtp.example.com")]).unwrap();
    let _ours = mailtest::SmtpBackend::from_settings(&settings);
}
