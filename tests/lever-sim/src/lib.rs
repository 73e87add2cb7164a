//! The Lever simulator: a stand-in for Lever's REST API, OAuth and webhooks.
