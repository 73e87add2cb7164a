//! The admin app: static files from the built `web/dist`, with every other
//! path answered by `index.html` so client-side routes survive a reload.
use std::path::Path;

use axum::response::Html;
use axum::routing::get;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(web_dir: &Path) -> Router {
    let index = web_dir.join("index.html");
    if index.is_file() {
        Router::new().fallback_service(ServeDir::new(web_dir).fallback(ServeFile::new(index)))
    } else {
        tracing::warn!(web_dir = %web_dir.display(), "the admin app is not built; `/` shows how to build it");
        let page = not_built_page(web_dir);
        Router::new().fallback(get(move || std::future::ready(Html(page.clone()))))
    }
}

fn not_built_page(web_dir: &Path) -> String {
    format!(
        "<!doctype html><title>Vouch</title><h1>Vouch is running</h1>\
         <p>The admin app is not built: no <code>index.html</code> in <code>{}</code>.</p>\
         <p>Build it with <code>make web</code> (or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>), \
         or point <code>VOUCH_WEB_DIR</code> at a built copy. The API is at <a href=\"/graphql\">/graphql</a>.</p>",
        html_escape(&web_dir.display().to_string())
    )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
