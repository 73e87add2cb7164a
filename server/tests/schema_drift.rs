//! `schema.graphql` must be exactly what `vouch schema` prints.
#[test]
fn checked_in_schema_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    let current = vouch::graphql::sdl();
    assert!(
        checked_in == current,
        "schema.graphql is out of date with the code: regenerate it with `make schema` \
         (cargo run -p vouch -- schema > schema.graphql) and commit it"
    );
}
