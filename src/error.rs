//! The failures the addon can report, each with the stable `code` JS callers match on, and the
//! one place their messages are turned into JS errors.

mod code;
pub use code::{Code, RAISE_FILE_LIMIT};

#[derive(Debug)]
pub struct WarmupError {
    pub code: Code,
    pub message: String,
}

impl WarmupError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        WarmupError {
            code,
            message: message.into(),
        }
    }
}

/// A panic's payload (a bug in this addon, caught in lib.rs) as the error a caller sees.
pub fn internal(payload: &(dyn std::any::Any + Send)) -> WarmupError {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    WarmupError::new(
        Code::Internal,
        format!("internal error ({what}). Fix: this is a bug in asherah-warmup; report it with the output of `npx asherah-warmup doctor --json`."),
    )
}

impl From<WarmupError> for napi::Error<String> {
    /// napi-rs turns the status string of an error into the JS error's `code` property.
    fn from(err: WarmupError) -> Self {
        napi::Error::new(
            err.code.as_str().to_owned(),
            format!("asherah-warmup: {}", err.message),
        )
    }
}

/// A path as it may appear in a message: control characters (a newline or NUL in a file name
/// could forge or cut a log line) are escaped, the rest is shown as the OS gives it.
pub fn shown(path: &std::path::Path) -> String {
    let mut shown = String::new();
    for c in path.to_string_lossy().chars() {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::shown;
    use std::path::Path;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(shown(Path::new("/a/b.so")), "/a/b.so");
        assert_eq!(shown(Path::new("/a\nFAKE\0.so")), "/a\\nFAKE\\u{0}.so");
    }
}
