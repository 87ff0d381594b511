//! What is exported and to whom: products, parties, countries and transactions.

mod complete_rates;
mod country;
mod datacenter_words;
mod die_count;
mod eccn;
mod figures;
mod node;
mod one_company;
mod party;
mod party_checks;
mod party_line;
mod plausible;
mod product;
mod region;
mod sheet;
mod sheet_words;
mod transaction;
mod transistor_count;
mod validate;
mod word_schemas;
pub use complete_rates::{complete_rates_doubted, rates_exact};
pub(crate) use datacenter_words::datacenter_marketing;
pub use die_count::MAX_PACKAGE_LOGIC_AREA_MM2;
pub(crate) use die_count::{least_applicable_area, unconfirmed_die_count};
pub(crate) use figures::names_hbm;
pub use figures::{MIN_HBM_BANDWIDTH_GBPS, MODULE_TPP};
pub(crate) use party::{owner_paths, repeat_span, written_char_span};
pub(crate) use plausible::planar_flags_doubted;
pub use plausible::{
    MAX_PLANAR_PERFORMANCE_DENSITY, MIN_ADVANCED_PERFORMANCE_DENSITY, MIN_HBM_STACKS, MIN_LOGIC_TPP_PER_HBM_GBPS,
    MIN_TPP_PER_MEMORY_GBPS, main_function_logic_doubt,
};
pub(crate) use transistor_count::unchecked_transistors;
pub use transistor_count::{
    TYPICAL_5NM_CLASS_TRANSISTORS_PER_MM2, TYPICAL_7NM_CLASS_TRANSISTORS_PER_MM2,
    TYPICAL_16_14NM_CLASS_TRANSISTORS_PER_MM2,
};
pub use validate::{
    HBM_BANDWIDTH_DENSITY_GBPS_PER_MM2, HOST_LINK_TPP, MAX_CONTAINED_TOTAL, MAX_RETICLE_DIE_AREA_MM2,
    MIN_5NM_CLASS_TRANSISTORS_PER_MM2, MIN_7NM_CLASS_TRANSISTORS_PER_MM2, MIN_DATACENTER_INTERCONNECT_GBPS,
    MIN_DATACENTER_MEMORY_GBPS, MIN_HBM_BANDWIDTH_DENSITY_GBPS_PER_MM2, MIN_HOST_LINK_GBPS,
    MIN_MODULE_INTERCONNECT_GBPS, MIN_TPP_PER_BILLION_TRANSISTORS, MIN_TPP_PER_HBM_GBPS,
};
pub(crate) use validate::{
    contained_total_problem, implausible_interconnect, implausible_memory_bandwidth, module_package,
};

pub use country::{Country, UnknownCountry};
pub use eccn::{EAR99, is_eccn};
pub use party::{
    DeclaredEndUse, END_USES, EndUse, Exporter, MAX_NAME_CHARS, MAX_OWNER_DEPTH, MAX_OWNERS, MAX_PARTIES,
    MAX_REGISTRATION_CHARS, MAX_SHOWN_NAME, Owner, Packager, Party, PartyError, PartyErrorKind, Registration, Role,
    Screening, TransactionKind, UnknownEndUse, owners_in_depth, shown_name,
};
pub use party_checks::{check_list_dates, validate_parties};
pub use party_line::{PartyKey, PartyKvError};
pub use product::{
    Contained, FormFactor, LogicDie, Memory, Precision, ProcessingUnit, Product, ProductKind, Rate, SINGLE_UNIT,
};
pub use region::{REGION_MISSING, Region, check_region};
pub use sheet::{MAX_SHEET_BYTES, parse_product_sheet, sheet_schema, write_product_sheet};
pub(crate) use sheet::{contained_total_error, parse_product_sheet_refs};
pub use transaction::{
    EXPORTED_FROM_MISSING, JSON_NUMBER_DIGITS, Transaction, check_parties, json_inexact_number,
    json_inexact_number_error, transaction_schema,
};
pub(crate) use transaction::{PartyFile, parties_from_file};
pub(crate) use word_schemas::{EndUseLit, KindLit, RoleLit, TransactionKindLit, vocabulary_schema};
