//! Tester round 13, F4: the H100 to Germany on 2024-06-01 with an end user whose name is a
//! generic noun or test word was cleared once an Entity List screening was attested. A
//! screening of "Placeholder" screens nobody (15 CFR 744.11 reaches a party by its name; 15 CFR
//! 748.5(e) defines the end user as a person): indeterminate, naming the name for screening.
//! A real name is cleared as before (H100 to DE: no licence, DE is in A:5, 742.6(a)(6)(iii)).

mod common;

#[test]
fn generic_party_names_are_not_cleared() {
    common::assert_placeholder_names_left_open(&[
        "Customer 1",
        "Client 2",
        "Company X",
        "ABC Company",
        "Test",
        "Test Customer",
        "Dummy",
        "Placeholder",
        "Individual",
        "Person",
    ]);
}

#[test]
fn real_names_are_still_cleared() {
    common::assert_cleared_in_de(&["Person Industries GmbH", "Example AS", "X Corp."]);
}
