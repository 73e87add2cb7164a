//! Input checks shared by every entry point, each naming the field.
use super::{DomainError, DomainResult};

/// Longest password accepted. argon2 would hash anything, but a megabyte
/// password is an attack on CPU, not a password.
pub const MAX_PASSWORD_LEN: usize = 1024;
pub const MIN_PASSWORD_LEN: usize = 10;
const MAX_EMAIL_LEN: usize = 320;
const MAX_NAME_LEN: usize = 200;

/// Trims and lower-cases an address and checks its shape.
pub fn email(field: &'static str, raw: &str) -> DomainResult<String> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(DomainError::invalid(field, "enter an e-mail address"));
    }
    if email.len() > MAX_EMAIL_LEN {
        return Err(DomainError::invalid(field, format!("at most {MAX_EMAIL_LEN} characters")));
    }
    let shape_ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.contains('@')
        }
        None => false,
    };
    if !shape_ok {
        return Err(DomainError::invalid(field, "expected an e-mail address such as name@example.com"));
    }
    Ok(email)
}

/// A display name: trimmed, non-empty, bounded.
pub fn name(field: &'static str, raw: &str) -> DomainResult<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(DomainError::invalid(field, format!("at most {MAX_NAME_LEN} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(DomainError::invalid(field, "must not contain control characters"));
    }
    Ok(name.to_owned())
}

/// A new password: long enough to resist guessing, short enough to hash.
pub fn new_password(field: &'static str, raw: &str) -> DomainResult<()> {
    let len = raw.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(DomainError::invalid(field, format!("at least {MIN_PASSWORD_LEN} characters")));
    }
    if raw.len() > MAX_PASSWORD_LEN {
        return Err(DomainError::invalid(field, format!("at most {MAX_PASSWORD_LEN} characters")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email("email", "  Ada@Example.COM ").expect("valid"), "ada@example.com");
        for bad in
            ["", "ada", "ada@", "@example.com", "ada@example", "a b@example.com", "a@b@example.com", "a@.com"]
        {
            assert!(email("email", bad).is_err(), "{bad:?} must be refused");
        }
        assert!(email("email", &format!("{}@example.com", "a".repeat(400))).is_err());
    }

    #[test]
    fn names_and_passwords() {
        assert_eq!(name("name", "  Acme ").expect("valid"), "Acme");
        assert!(name("name", "   ").is_err());
        assert!(name("name", &"x".repeat(10_000)).is_err());
        assert!(new_password("password", "short").is_err());
        assert!(new_password("password", &"p".repeat(MAX_PASSWORD_LEN + 1)).is_err());
        assert!(new_password("password", "correct horse battery").is_ok());
    }
}
