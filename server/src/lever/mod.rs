//! The Lever client: the only code that talks to Lever.
