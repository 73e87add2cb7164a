//! The `vouch` binary as an operator meets it: settings refused in one line,
//! unknown roles, unreachable databases, and a clean exit on SIGTERM.
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn vouch(args: &[&str], envs: &[(&str, &str)], dir: &std::path::Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vouch"));
    command.args(args).current_dir(dir).env_remove("DATABASE_URL").env("NO_COLOR", "1");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("vouch runs")
}

fn stderr_line(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    text.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn malformed_database_url_fails_fast_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    for url in ["mysql://root:hunter2@localhost/db", "sqlite::memory:", "nonsense"] {
        let output = vouch(&["migrate"], &[("DATABASE_URL", url)], dir.path());
        assert_eq!(output.status.code(), Some(1), "{url}");
        let line = stderr_line(&output);
        assert!(line.starts_with("error: DATABASE_URL"), "{line}");
        assert!(line.contains("expected sqlite://"), "{line}");
        assert!(!line.contains("hunter2"), "password shown: {line}");
    }
}

#[test]
fn unreachable_database_names_the_url_without_its_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output =
        vouch(&["migrate"], &[("DATABASE_URL", "postgres://vouch:hunter2@127.0.0.1:1/vouch")], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let line = stderr_line(&output);
    assert!(line.contains("postgres://vouch:***@127.0.0.1:1/vouch"), "{line}");
    assert!(!line.contains("hunter2"), "{line}");
}

#[test]
fn malformed_serve_settings_name_the_setting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        ("VOUCH_BIND", "not-an-address"),
        ("VOUCH_PUBLIC_URL", "ftp://example.com"),
        ("VOUCH_SECRET_KEY", "short"),
        ("VOUCH_LEVER_US_API_BASE", "::"),
    ];
    for (setting, value) in cases {
        let output = vouch(&["serve"], &[(setting, value)], dir.path());
        assert_eq!(output.status.code(), Some(1), "{setting}");
        let line = stderr_line(&output);
        assert!(line.starts_with(&format!("error: {setting}")), "{line}");
        assert!(line.contains("expected"), "{line}");
    }
}

#[test]
fn create_admin_refuses_unknown_roles_and_bad_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base =
        ["create-admin", "--org", "Acme", "--email", "ada@acme.test", "--password", "correct horse battery"];
    let mut unknown_role = base.to_vec();
    unknown_role.extend(["--role", "OVERLORD"]);
    let output = vouch(&unknown_role, &[], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("SUPER_ADMIN") && text.contains("ADMIN"), "lists the valid roles: {text}");

    let short = ["create-admin", "--org", "Acme", "--email", "ada@acme.test", "--password", "short"];
    let output = vouch(&short, &[], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr_line(&output).contains("password: at least 10 characters"), "{}", stderr_line(&output));

    let output = vouch(&base, &[], dir.path());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("SUPER_ADMIN ada@acme.test"));
    let again = vouch(&base, &[], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr_line(&again).contains("already exists"), "{}", stderr_line(&again));
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().expect("temp dir");
    for command in ["serve", "migrate", "create-admin", "schema", "demo"] {
        let output = vouch(&[command, "--help"], &[], dir.path());
        assert!(output.status.success(), "{command} --help");
        let text = String::from_utf8_lossy(&output.stdout);
        if command == "serve" {
            for twin in [
                "VOUCH_BIND",
                "DATABASE_URL",
                "VOUCH_PUBLIC_URL",
                "VOUCH_SECRET_KEY",
                "VOUCH_LEVER_CLIENT_ID",
            ] {
                assert!(text.contains(twin), "serve --help names {twin}");
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn serve_with_no_configuration_uses_sqlite_under_data_and_exits_0_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("VOUCH_LOG_FORMAT", "json")
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let started = Instant::now();
    let address = loop {
        assert!(started.elapsed() < Duration::from_secs(60), "server did not announce its address");
        let Some(Ok(line)) = lines.next() else { panic!("server exited early") };
        let Ok(event) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        if let Some(address) = event["fields"]["address"].as_str() {
            break address.to_owned();
        }
    };
    let response = reqwest::blocking::get(format!("http://{address}/readyz")).expect("readyz");
    assert_eq!(response.status().as_u16(), 200);
    assert!(dir.path().join("data/vouch.db").is_file(), "SQLite file under ./data");
    assert!(dir.path().join("data/secret.key").is_file(), "generated key under ./data");
    let wal = dir.path().join("data/vouch.db-wal");
    assert!(wal.is_file(), "WAL mode");

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("exits");
    assert_eq!(exit.code(), Some(0), "graceful shutdown exits 0");
}
