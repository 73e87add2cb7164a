//! graphql-transport-ws on `/graphql/ws`, authenticated in `connection_init`.
use std::time::Duration;

use entity::Role;
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use vouch_tests::TestServer;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(server: &TestServer, init_payload: Value) -> Socket {
    let mut request = server.ws_url("/graphql/ws").into_client_request().expect("request");
    request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().expect("header"));
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await.expect("websocket");
    assert_eq!(
        response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()),
        Some("graphql-transport-ws")
    );
    let init = json!({ "type": "connection_init", "payload": init_payload });
    socket.send(Message::Text(init.to_string().into())).await.expect("send init");
    socket
}

/// The next text frame as JSON, or None when the server closed the socket.
async fn next_json(socket: &mut Socket) -> Option<Value> {
    loop {
        let frame =
            tokio::time::timeout(Duration::from_secs(10), socket.next()).await.expect("a frame in time");
        match frame {
            Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).ok(),
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => continue,
        }
    }
}

async fn subscribe(socket: &mut Socket) {
    let subscribe =
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { serverTime }" } });
    socket.send(Message::Text(subscribe.to_string().into())).await.expect("send subscribe");
}

#[tokio::test]
async fn server_time_streams_to_a_signed_in_socket() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "ada@acme.test", Role::Admin).await;
    let mut socket = open(&server, json!({ "token": admin.token })).await;
    assert_eq!(next_json(&mut socket).await.expect("ack")["type"], "connection_ack");
    subscribe(&mut socket).await;
    let mut times = Vec::new();
    while times.len() < 2 {
        let message = next_json(&mut socket).await.expect("next");
        assert_eq!(message["type"], "next", "{message}");
        let time = message["payload"]["data"]["serverTime"].as_str().expect("a time").to_owned();
        chrono::DateTime::parse_from_rfc3339(&time).expect("RFC 3339");
        times.push(time);
    }
    assert_ne!(times[0], times[1], "the clock ticks");
}

#[tokio::test]
async fn a_bad_token_closes_the_socket_and_no_token_is_refused_per_subscription() {
    let server = TestServer::start().await;
    let mut bad = open(&server, json!({ "token": "not-a-jwt" })).await;
    let first = next_json(&mut bad).await;
    assert!(
        first.as_ref().is_none_or(|m| m["type"] != "connection_ack"),
        "a bad token must not be acknowledged: {first:?}"
    );

    let mut anonymous = open(&server, json!({})).await;
    assert_eq!(next_json(&mut anonymous).await.expect("ack")["type"], "connection_ack");
    subscribe(&mut anonymous).await;
    let refusal = next_json(&mut anonymous).await.expect("an answer");
    assert!(refusal.to_string().contains("UNAUTHENTICATED"), "{refusal}");
}
