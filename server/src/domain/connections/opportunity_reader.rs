//! Reading an opportunity for the trigger dry run through the organization's
//! Lever connection.
use async_trait::async_trait;
use uuid::Uuid;

use super::{clients, store};
use crate::domain::preview::{OpportunityFacts, OpportunityRead, OpportunityReader};
use crate::lever::LeverError;
use crate::AppState;

pub struct LeverOpportunityReader {
    pub state: AppState,
}

#[async_trait]
impl OpportunityReader for LeverOpportunityReader {
    async fn read(&self, organization_id: Uuid, opportunity_id: &str) -> OpportunityRead {
        let app = &self.state;
        let connection = match store::find_active(&app.db, organization_id).await {
            Ok(Some(connection)) => connection,
            Ok(None) => {
                return OpportunityRead::NotChecked(
                    "opportunity details not checked: Lever is not connected".into(),
                )
            }
            Err(e) => return OpportunityRead::NotChecked(format!("opportunity details not checked: {e}")),
        };
        let client = match clients::client_for(app, &connection).await {
            Ok(client) => client,
            Err(e) => return OpportunityRead::NotChecked(format!("opportunity details not checked: {e}")),
        };
        let outcome = client.opportunity(opportunity_id).await;
        match outcome {
            Err(LeverError::NotFound { .. }) => OpportunityRead::NotFound,
            other => match clients::observe(&app.db, app, &connection, other).await {
                Ok(opportunity) => OpportunityRead::Read(OpportunityFacts {
                    emails: opportunity.emails,
                    tags: Some(opportunity.tags),
                }),
                Err(e) => OpportunityRead::NotChecked(format!("opportunity details not checked: {e}")),
            },
        }
    }
}
