//! `serverTime`: the simplest subscription, proving the websocket wiring and
//! its authentication end to end.
use std::time::Duration;

use async_graphql::{Context, Subscription};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use tokio_stream_shim::interval_stream;

use super::{require_user, state};

#[derive(Default)]
pub struct ClockSubscription;

#[Subscription]
impl ClockSubscription {
    /// The server's time, now and then once a second. Signed-in callers only.
    async fn server_time(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = DateTime<Utc>>> {
        require_user(ctx)?;
        let shutdown = state(ctx).shutdown.clone();
        Ok(interval_stream(Duration::from_secs(1))
            .map(|_| Utc::now())
            .take_until(async move { shutdown.cancelled().await }))
    }
}

mod tokio_stream_shim {
    use std::time::Duration;

    use futures::Stream;

    /// Ticks immediately, then every `period`.
    pub fn interval_stream(period: Duration) -> impl Stream<Item = ()> {
        futures::stream::unfold(tokio::time::interval(period), |mut interval| async move {
            interval.tick().await;
            Some(((), interval))
        })
    }
}
