//! The stable codes of diagnostics: `E` for errors that stop a load, `L` for lint findings.
//!
//! Each code is one variant of [`Code`], declared once below with what it means, an example,
//! what to do and its severity. `rules/ERRORS.md` is generated from this table
//! (`UPDATE_ERRORS=1 cargo test --test error_codes`), and that test fails when the two disagree
//! or when a code is declared but never emitted. Codes are never reused: a code that is retired
//! leaves a gap (E0502 was never assigned).

use std::fmt;
use std::str::FromStr;

use super::Severity;

/// The part of the input a code is about; the sections of `rules/ERRORS.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// TOML (or JSON) syntax and keys, in any file.
    Syntax,
    /// Product sheets and catalogs.
    ProductSheet,
    /// Rule packs: `pack.toml` and rule files.
    RulePack,
    /// Rule-test files.
    RuleTest,
    /// Transaction files (and the parties of rule tests, which share their form).
    Transaction,
    /// Determinations replayed with `export-controls replay`.
    Determination,
    /// Findings of `export-controls lint` on a pack that loads.
    Lint,
}

impl Area {
    /// Every area, in the order of `rules/ERRORS.md`.
    pub const ALL: [Area; 7] = [
        Area::Syntax,
        Area::ProductSheet,
        Area::RulePack,
        Area::RuleTest,
        Area::Transaction,
        Area::Determination,
        Area::Lint,
    ];

    /// Heading of the area's section in `rules/ERRORS.md`.
    pub const fn title(self) -> &'static str {
        match self {
            Area::Syntax => "Any file: TOML syntax and keys (E01)",
            Area::ProductSheet => "Product sheets and catalogs (E02)",
            Area::RulePack => "Rule packs (E03)",
            Area::RuleTest => "Rule tests (E04)",
            Area::Transaction => "Transactions (E05)",
            Area::Determination => "Determinations replayed (E06)",
            Area::Lint => "Lint findings (L), from `export-controls lint`",
        }
    }
}

/// Declares [`Code`] and its table: `CODE: area, severity, meaning, example, help;`.
macro_rules! codes {
    ($($code:ident: $area:ident, $severity:ident, $meaning:literal, $example:literal, $help:literal;)*) => {
        /// A stable diagnostic code. Scripts and CI may match on [`Code::as_str`]; every code is
        /// documented in `rules/ERRORS.md`, which is generated from this enum.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = $meaning]
                #[doc = ""]
                #[doc = concat!("Example: ", $example)]
                #[doc = ""]
                #[doc = concat!("What to do: ", $help, ".")]
                #[doc = ""]
                #[doc = concat!("Severity: ", stringify!($severity), ".")]
                $code,
            )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The code as written in messages and JSON, e.g. `"E0102"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// How serious a diagnostic with this code is.
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$code => Severity::$severity,)*
                }
            }

            /// Which part of the input the code is about.
            pub const fn area(self) -> Area {
                match self {
                    $(Code::$code => Area::$area,)*
                }
            }

            /// What the code means, in one sentence.
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Code::$code => $meaning,)*
                }
            }

            /// A typical input that gets this code, and what the message says.
            pub const fn example(self) -> &'static str {
                match self {
                    $(Code::$code => $example,)*
                }
            }

            /// What to do about it, in general (a diagnostic's own help is more specific).
            pub const fn help(self) -> &'static str {
                match self {
                    $(Code::$code => $help,)*
                }
            }
        }
    };
}

codes! {
    E0101: Syntax, Error,
        "The file is not valid TOML, a key has the wrong type, or a required key is missing.",
        "`title = Cuba embargo` → `invalid string`; ``missing field `source` ``; `invalid date, expected day between 01 and 28`; `from = 2027/01/01` or `from = \"2027-01-01\"` → help: write the date bare, with dashes: `2027-01-01`",
        "fix the TOML: quote strings, add the missing key, write dates bare (`2027-01-01`, no quotes)";
    E0102: Syntax, Error,
        "A key that this kind of file or table does not have (TOML or JSON).",
        "`publishd = 2022-10-13` → ``unknown field `publishd` `` = help: did you mean `published`?",
        "use the suggested key";
    E0201: ProductSheet, Error,
        "A figure that is not a plain, non-negative number in the key's unit.",
        "`area = -814` → `-814 is negative`; `bandwidth = \"3.35 TB/s\"` → `give the figure in GB/s`; `area = \"big\"` → `not a number`",
        "write a plain number in the key's unit, or quote it with that unit";
    E0202: ProductSheet, Error,
        "A figure of zero: a die or stack area, a rate, a bandwidth, a capacity, a transistor count or a reported TPP.",
        "`area = 0` → `a die area must be greater than zero`; `fp8 = 0` → `a rate must be greater than zero`",
        "leave the key out when the figure is unknown; list a precision the part does not support in `unsupported`";
    E0203: ProductSheet, Error,
        "A product id with characters other than lower-case letters, digits and `-`.",
        "`id = \"NVIDIA H20\"` → `must be lower-case letters, digits and -`",
        "use an id like `nvidia-h20`";
    E0204: ProductSheet, Error,
        "An unknown product kind.",
        "`kind = \"chip\"` → `unknown kind`",
        "`integrated_circuit`, `computer` or `memory`";
    E0205: ProductSheet, Error,
        "A year outside 1950–2100.",
        "`year = 20`",
        "a year between 1950 and 2100";
    E0206: ProductSheet, Error,
        "Both `[dense_tops]` and `[[processing_unit]]` in one sheet.",
        "`[dense_tops]` followed by `[[processing_unit]]`",
        "keep one";
    E0207: ProductSheet, Error,
        "A die count outside 1–10000.",
        "`count = 0` in a `[[logic_die]]`",
        "1 to 10000";
    E0208: ProductSheet, Error,
        "A product id that differs from its file name.",
        "`id = \"nvidia-h20\"` in `h20.toml`",
        "rename the file or the id";
    E0209: ProductSheet, Error,
        "A product id used twice, in one catalog or by a rule test's sheet that repeats a catalog product.",
        "two sheets with `id = \"nvidia-h20\"`",
        "rename one of them";
    E0210: ProductSheet, Error,
        "A product sheet larger than 1 MiB.",
        "a sheet with a very long `notes` text",
        "a sheet describes one product: trim it";
    E0211: ProductSheet, Error,
        "A rate list that contradicts itself: a precision given twice, rated and listed in `unsupported`, or a list stated complete with no rate.",
        "`fp8 = 1978.9` and `unsupported = [\"fp8\"]` → `` `fp8` has a rate and is listed in `unsupported` ``",
        "keep one statement per precision: its rate, or its name in `unsupported`";
    E0212: ProductSheet, Error,
        "An unknown precision in a rate list's `unsupported`.",
        "`unsupported = [\"fp9\"]` → `` unknown precision `fp9` `` = help: did you mean `fp8`?",
        "use a precision key of `[dense_tops]` (fp64 … int4)";
    E0213: ProductSheet, Error,
        "`contains` in a sheet whose kind is not `computer`.",
        "`kind = \"integrated_circuit\"` with `contains = [{ product = \"nvidia-h20\", count = 8 }]`",
        "only a computer or board lists what it contains; an IC's dies go in `[[logic_die]]`";
    E0214: ProductSheet, Error,
        "An entry of `contains` with neither or both of `product` and `sheet`.",
        "`contains = [{ count = 8 }]`",
        "name a catalog `product`, or give an inline `sheet`";
    E0215: ProductSheet, Error,
        "A `contains` count outside 1–100000.",
        "`contains = [{ product = \"nvidia-h20\", count = 0 }]`",
        "1 to 100000";
    E0216: ProductSheet, Error,
        "`contains` naming a product the catalog does not have.",
        "`contains = [{ product = \"nvidia-h2O\", count = 8 }]` → did you mean `nvidia-h20`?",
        "use the suggested id, or give the product's sheet inline";
    E0217: ProductSheet, Error,
        "`contains` that makes a cycle, or inline sheets nested more than 8 levels deep.",
        "`example-board` contains `example-server`, which contains `example-board`",
        "a product cannot contain itself: fix the ids";
    E0218: ProductSheet, Error,
        "A product of kind `memory` with figures of a logic IC (processing rates, a `[[logic_die]]`, an interconnect bandwidth): they make it a processor, and a kind written wrong must not take it out of 3A090.",
        "`kind = \"memory\"` with `[dense_tops] fp8 = 1978.9`, or with `[[logic_die]] area = 814` and `interconnect_bandwidth = 1028`",
        "write the kind the part is (`integrated_circuit`, or `computer` for a board or system); a stand-alone memory stack is described by `[memory]` alone";
    E0219: ProductSheet, Error,
        "A contained product (built in code) whose catalog id differs from the id of the sheet it carries.",
        "`Contained { product: \"nvidia-h100-sxm5-80gb\", sheet: Some(<nvidia-h20>) }`",
        "give the id of the sheet, or the sheet of the id";
    E0220: ProductSheet, Error,
        "A product sheet (given by path, or inline in `contains`) that takes the id of a catalog product but differs from the catalog's sheet: it would stand for that product in the determination. The same for a sheet of a catalog given in place of the shipped one (`--catalog DIR`, `serve --catalog`, `Catalog::load_dir`) that takes the id of a shipped product: such a catalog may add products, not change shipped ones.",
        "`id = \"nvidia-h100-sxm5-80gb\"` with `fp8 = 10`, given with `--product` or in a `--catalog` folder",
        "give the part its own id, or name the catalog product by its id without a sheet (in a `--catalog` folder, copy the shipped sheet unchanged)";
    E0221: ProductSheet, Error,
        "A `[memory]` whose `kind` names high-bandwidth memory (`HBM`, `HBM3E`, ...) with `hbm = false`: the sheet contradicts itself, and `hbm = false` would take an HBM stack out of 3A090.c.",
        "`[memory] kind = \"HBM3E\"` with `hbm = false`",
        "write `hbm = true` for an HBM part (3A090.c covers HBM whether or not it follows the JEDEC standards), or the memory kind the part has";
    E0222: ProductSheet, Error,
        "A `[[logic_die]]` name given twice (case and surrounding spaces ignored): the two entries would be summed into the applicable die area, halving the performance density when one was pasted twice.",
        "two `[[logic_die]]` tables with `name = \"AD104\"`",
        "list each die once, with `count` for identical dies; give different dies different names";
    E0223: ProductSheet, Error,
        "A transistor count that is not a whole number or is below 1,000,000: a count written in billions or millions, which would pass the Note 1 to 3A090.a rebuttal (\"below 30 billion\", 90 FR 5298).",
        "`transistors = 80` (meant as 80 billion) → `the transistor count 80 is below 1,000,000`; `transistors = 1.5` → `is not a whole number`",
        "write the whole count (`transistors = 80_000_000_000`), or leave the key out if it is unknown";
    E0224: ProductSheet, Error,
        "A computer or board that holds more than 1,000,000,000 products in all, counting through every level of `contains` (each count multiplied by the counts of the systems around it): an input error (a count in the wrong place, a nesting pasted twice). Refused rather than read: the aggregate TPP and the other summed figures must never come out smaller than the contents give.",
        "six nested computers of `count = 100000` each around an H100 (10^30 H100s)",
        "give the count each system really holds; a system is one product, not a fleet of them";
    E0225: ProductSheet, Error,
        "An interconnect bandwidth below 31.5 GB/s, what a PCIe 3.0 x16 host link alone gives both ways (PCI-SIG: 8 GT/s per lane, 128b/130b encoding), for a part designed or marketed for datacenters, with high-bandwidth memory, or whose rates give a TPP of 4,800 or more: every such part has at least that link, and 3A090's interconnect bandwidth counts every input and output both ways, the host link included (15 CFR 772.1). A part in an SXM or OAM module package below 160 GB/s, the NVLink 1.0 of the first SXM module (Tesla P100): a module of that form exists for its chip-to-chip link (the least in the catalog is 392 GB/s). A figure written in TB/s or with its decimal point slipped, which would escape the \"is informed\" letters keyed to 600 and 1,028 GB/s or the 600 GB/s of the 2022 text of 3A090 (the A100's 664 written 66.4).",
        "the H20's sheet with `interconnect_bandwidth = 1.028` (its 1,028 GB/s in TB/s) → `the interconnect bandwidth 1.028 GB/s is below the 31.5 GB/s of a PCIe 3.0 x16 host link alone … did you write TB/s?`",
        "write the bidirectional total in GB/s (`interconnect_bandwidth = 1028`), or leave the key out if it is unknown";
    E0226: ProductSheet, Error,
        "An integrated circuit whose logic dies total (area × count) more than 70,685 mm², the area of one 300 mm wafer (SEMI M1), the most any package holds (the largest: Cerebras's wafer-scale WSE-3, 46,225 mm²; Tesla's Dojo tile, 25 dies of 645 mm² on a wafer-level package): a die count or an area slipped, which lowers the performance density.",
        "`[[logic_die]] area = 800, count = 1000` → `the logic dies total 800000 mm² (area × count), more than one 300 mm wafer (70685 mm²) …`",
        "write the area of ONE die in mm² and the number of identical dies in the package; a board or system is `kind = \"computer\"` with `contains`";
    E0227: ProductSheet, Error,
        "A package or product name that names more logic dies than `[[logic_die]]` lists: a count followed by a listed die's name above its `count` (`OAM, 2 GCDs` beside one `GCD`), or by a die word (`dies`, `chiplets`, `tiles`, `compute dies`, `GPU dies`) above all the dies' counts together. Figures copied from a die-level source for a package of several dies halve the transistor count and the die area together, which no density check sees, and the count would rebut Note 1 to 3A090.a by packaging (15 CFR 772.1: the aggregated count; 90 FR 5298).",
        "the MI250X's sheet (`package = \"OAM, 2 GCDs\"`) with one GCD: `count = 1`, `transistors = 29_100_000_000` → `` `OAM, 2 GCDs` names 2 dies (2 GCDS), but [[logic_die]] lists 1 … ``",
        "list every logic die of the package with its `count`, and give the package's aggregate transistor count";
    E0228: RulePack, Error,
        "A `[[country_group.unverified_member]]` (a membership the sources leave unverified for a period) whose `country` is not an ISO 3166-1 alpha-2 code, without `from` or `until`, with `until` not after `from`, or with an empty `reason` or `source`.",
        "`[[country_group.unverified_member]]` with `country = \"KH\"`, `from = 2026-02-03` and `until = 2025-11-07`",
        "write `country` as an ISO 3166-1 alpha-2 code (`GB`, not `UK`); give the days on which the membership is unverified (`from` inclusive, `until` exclusive), what the sources leave open (`reason`) and where it is and is not found (`source`); a membership unverified throughout goes in `unverified_members`";
    E0229: RulePack, Error,
        "A `[[country_group.unverified_member]]` whose period overlaps a membership of the same country in the group (permanent, dated, or unverified throughout in `unverified_members`) or another unverified period of it: on each day a membership is either known or unverified.",
        "`[[country_group.dated_member]] country = \"KH\"` with `until = 2026-02-03` and `[[country_group.unverified_member]] country = \"KH\"` with `from = 2025-11-07`",
        "end the dated membership where the unverified period starts (`until = 2025-11-07`), or merge the two unverified periods";
    E0230: ProductSheet, Error,
        "A transistor count below 2 million per mm² of the product's logic dies that are non-planar or produced at the 16/14 nm node or below (every such die holds several times more; planar 28 nm logic about 13 million per mm²): a count written in thousands, which would pass the Note 1 to 3A090.a rebuttal (\"below 30 billion\", 90 FR 5298).",
        "`transistors = 80_000_000` (the H20's 80 billion in thousands) with `[[logic_die]] area = 814, non_planar = true` → `below 2 million per mm² of the 814 mm² … (at least 1628000000)`",
        "write the whole count (`transistors = 80_000_000_000`), check the die areas, or leave the count out if it is unknown";
    E0231: ProductSheet, Error,
        "A catalog folder (`Catalog::load_dir`, `--catalog DIR`) that holds no product sheet (`*.toml`): it would replace the shipped catalog with an empty one, and every product id would be unknown.",
        "`--catalog /proc`, or the folder above `rules/products`",
        "give the folder holding the product sheets (`rules/products` in a checkout), or leave `--catalog` out for the shipped catalog";
    E0232: ProductSheet, Error,
        "A `[memory]` stated to be high-bandwidth memory (`hbm = true`, or a `kind` naming HBM) with a bandwidth below 128 GB/s, the bandwidth of one HBM stack (JESD235: a 1,024-bit interface at 1 Gb/s per pin; later generations are faster): a bandwidth written in TB/s, which would escape the \"is informed\" letters keyed to memory bandwidth and, for a stand-alone stack, 3A090.c (89 FR 96790).",
        "`[memory] kind = \"HBM3\"`, `hbm = true`, `bandwidth = 4.0` (the H20's 4.0 TB/s) → `the memory bandwidth 4 GB/s is below the 128 GB/s of one HBM stack …: written in TB/s? this field is GB/s`",
        "write the bandwidth in GB/s (`bandwidth = 4000`, or `\"4000 GB/s\"`), or leave the key out if it is unknown";
    E0233: ProductSheet, Error,
        "A transistor count above 40 million per mm² of logic die when every die is stated to be planar and above the 16/14 nm node (`non_planar = false`, `at_or_below_16_14nm = false`): no such process reaches it (TSMC's planar 20 nm, the densest, about 22 million per mm²: Apple A8, 2 billion transistors on 89 mm²), so the flags contradict the count, and they would take the die out of the Note 1 to 3A090.a presumption (an \"applicable advanced logic IC\" is non-planar or at 16/14 nm or below, 15 CFR 772.1; 90 FR 5298).",
        "the H20's sheet (80 billion transistors, `[[logic_die]] area = 814`, made in TSMC 4N) with `non_planar = false`, `at_or_below_16_14nm = false` → `98 million per mm² …`",
        "give the die's architecture and node as made (`non_planar = true` and `at_or_below_16_14nm = true` for a FinFET die at 4 nm), or leave a flag out if it is unknown";
    E0234: ProductSheet, Error,
        "A TPP from complete rates far below what the sheet states beside it: under 1 per billion transistors (every product in the catalog has at least 4.9: the H100 198, the RTX 4090 69), or under 0.04 per GB/s of HBM bandwidth (the catalog's HBM processors at least 0.59, the H20). Rates written in PFLOPS in fields that are TOPS/TFLOPS, which would take the part out of every TPP band of 3A090 (the H100 at TPP 15.8, cleared to China).",
        "the H100 SXM5's `[dense_tops]` divided by 1,000 (`fp8 = 1.9789`, the PFLOPS of DGX datasheets) beside `transistors = 80_000_000_000` → `the TPP 15.8312 from the rates is 0.198 per billion of its 80 billion transistors …: rates written in PFLOPS? the rates are TOPS/TFLOPS`",
        "write the dense rates in TOPS/TFLOPS (`fp8 = 1978.9`), or leave a rate out (or `complete` unset) if it is unknown";
    E0235: ProductSheet, Error,
        "A `process_node` of the 5 nm class or below (every part's node number 1 to 5, numbers in parentheses such as die counts left out: `TSMC 4N`, `N3P`, `5 nm`) beside a transistor count below 30 million per mm² of the logic dies (GH100 on TSMC 4N holds 98 million, AD104 122 million), or of the 7 nm class (every part's node number 1 to 7: `TSMC N7`, `N6`, `TSMC N5 (8 XCD) + N6 (4 IOD)`) below 20 million (GA100 on TSMC N7 holds 65.6 million, MI250X 40.2 million): a die area ten times too large, which would divide the performance density by ten (the L4 out of 3A090.a.2), or a transistor count ten times too small, which would rebut Note 1 to 3A090.a by packaging (the A100's 54.2 billion written 5.42).",
        "the L4's sheet (35.8 billion transistors, TSMC 4N) with `area = 2945` for 294.5 → `the 2945 mm² of logic die hold 12.2 million transistors per mm² …`",
        "write the area of one die in mm² (`area = 294.5`) and the whole transistor count; leave a figure out if it is unknown";
    E0236: ProductSheet, Error,
        "A logic die larger than one lithography exposure field (26 mm × 33 mm, 858 mm²) in a sheet that gives the process node or the transistor count (the field holds at every node), unless the die is stated wafer-scale (`[[logic_die]] wafer_scale = true`; no word of the package or a name exempts it: a CoWoS-L \"multi-reticle interposer\" carries dies of one field each): a decimal point slipped, or the area of all the dies in one; a larger area lowers the performance density.",
        "`[[logic_die]] area = 2945` (the L4's AD104, 294.5 mm²) → `a logic die of 2945 mm² is larger than one lithography exposure field …`",
        "write the area of ONE die in mm², with `count` for identical dies; a wafer-scale or multi-reticle die says so with `wafer_scale = true` in its [[logic_die]]";
    E0237: ProductSheet, Error,
        "A stand-alone memory (`kind = \"memory\"`) with `hbm = false` whose bandwidth per mm² of `stack_area` exceeds 2 GB/s: the 3A090.c parameter, which every HBM stack in production exceeded (89 FR 96790) and no other memory reaches (GDDR7 under 1), so the flag contradicts the figures and would take an HBM stack out of 3A090.c.",
        "an HBM3E 12-high stack (1,200 GB/s over 121 mm², 9.9 GB/s per mm²) written `kind = \"Stacked DRAM (12-high, TSV)\"`, `hbm = false`",
        "write `hbm = true` for a stacked high-bandwidth memory, or check the bandwidth and the stack area";
    E0238: ProductSheet, Error,
        "A stand-alone memory stated to be HBM (`hbm = true` or a kind naming HBM) whose bandwidth per mm² of `stack_area` is below 2 GB/s, which BIS stated every HBM stack in production exceeds (89 FR 96790): a stack area in µm² or with its decimal point slipped, which would take the stack out of 3A090.c.",
        "an HBM3E stack of 1,280 GB/s with `stack_area = 121000000` (µm²) or `1210` → `… 1.058 GB/s per mm², below 2 …`",
        "write the stack's area in mm² (`stack_area = 121`), or leave the key out if it is unknown";
    E0239: ProductSheet, Error,
        "A `[memory]` stated to be high-bandwidth memory with at least one stack's bandwidth but less than 8 GB/s per GB of its capacity: every HBM generation gives more than 16 (HBM2 32, HBM2E 25, HBM3 34, HBM3E 33 per GB of a stack; the catalog's least is 24.2), so the bandwidth was written in TB/s or with its decimal point slipped, or the capacity in MB, which would escape the \"is informed\" letters keyed to memory bandwidth.",
        "the H20's `[memory] kind = \"HBM3\"`, `bandwidth = 400`, `capacity = 96` → `the HBM bandwidth 400 GB/s is 4.17 GB/s per GB of its 96 GB, below the 8 …`",
        "write the bandwidth in GB/s (`bandwidth = 4000`) and the capacity in GB (`capacity = 96`), or leave a figure out if it is unknown";
    E0240: ProductSheet, Error,
        "A logic die written `at_or_below_16_14nm = false` in a sheet whose `process_node` names only nodes of the 16/14 nm class or below (every part's node number 1 to 16: `TSMC 4N`, `16FFC`, `Intel 7`), or every logic die so written beside a node some part of which is of that class (`TSMC 4N + TSMC 28HPC (I/O die)`: the 4N die is in the package): the flag contradicts the node, and would take the die out of \"applicable advanced logic integrated circuit\" (15 CFR 772.1) and the Note 1 to 3A090.a presumption (90 FR 5298) when the transistor count is left out.",
        "the H20's sheet (`process_node = \"TSMC 4N\"`) with `at_or_below_16_14nm = false` and no `transistors` → `` `at_or_below_16_14nm = false`, but the process node `TSMC 4N` names a node of the 16/14 nm class or below ``",
        "write `at_or_below_16_14nm = true` for a die made at that node, or give the die's own node; leave the flag out if it is unknown";
    E0241: ProductSheet, Error,
        "A logic die written `non_planar = false` in a sheet whose `process_node` names only nodes of the 5 nm class or below, where every logic process is FinFET or gate-all-around, or every logic die so written beside a node some part of which is of that class, or that names a non-planar transistor (`FinFET`, `RibbonFET`, `Tri-Gate`, `MBCFET`, `GAA`, TSMC's `16FF`/`12FFC`): the flag contradicts the node (15 CFR 772.1, \"non-planar transistor architecture\").",
        "the H20's sheet (`process_node = \"TSMC 4N\"`) with `non_planar = false` → `` `non_planar = false`, but the process node `TSMC 4N` is of the 5 nm class or below ``",
        "write `non_planar = true` for a FinFET or gate-all-around die; leave the flag out if it is unknown";
    E0242: ProductSheet, Error,
        "A `[memory]` whose kind names an HBM generation (HBM2, HBM2E, HBM3, HBM3E, HBM4) with a bandwidth below one stack of that generation at the slowest pin rate it ships at (HBM2 160, HBM2E 204.8, HBM3 512, HBM3E 614.4, HBM4 1,024 GB/s; JESD235A, JESD235C, JESD238, JESD270-4): a zero dropped or a decimal point slipped, which would escape the \"is informed\" letters keyed to memory bandwidth when the capacity E0239 reads is left out. A stand-alone stack that gives its `stack_area` is read by E0238 instead.",
        "the H20's `[memory] kind = \"HBM3\"`, `bandwidth = 400`, no `capacity` → `the memory bandwidth 400 GB/s is below one HBM3 stack (512 GB/s; …)`",
        "write the bandwidth of all the stacks in GB/s (`bandwidth = 4000` for 4.0 TB/s); leave it out if it is unknown";
    E0243: RulePack, Error,
        "A set-valued rule key written as an empty list: `roles`, `end_uses` (in `parties`), `regions`, `products` or `transaction_kinds`. A rule whose set names nothing applies to nothing, so the requirement it encodes is silently dropped (an empty `items` is E0333, empty destinations E0332).",
        "`parties = { listed_on = \"entity_list\", roles = [] }` in 744.11; `regions = []` in 746.6(a)",
        "list what the rule concerns, or leave the key out to mean any";
    E0244: RulePack, Error,
        "A licence requirement's `succeeds` that names no licence requirement of the pack (the id is exact: no family, no `*`).",
        "`succeeds = \"742.6(a)(6)(ii)\"` where the pack has `742.6(a)(6)(i)`",
        "name the id of the requirement the regulation replaced by this one, as written in the pack";
    E0247: ProductSheet, Error,
        "A `declared_eccn` (the vendor's published classification) not written as the Commerce Control List writes an ECCN (15 CFR 774 Supp. No. 1, 738.2(d)): a Category digit, a Product Group letter A-E and three digits, then optional paragraphs (`.a`, `.z.1`, lower case), or `EAR99`. The engine compares the declared ECCN with the figures' (15 CFR 732.3(b); a contradiction is a red flag, Supp. No. 3 to part 732), and a text that names no ECCN could be compared with nothing.",
        "`declared_eccn = \"not an ECCN at all\"`, `declared_eccn = \"3A090.A\"`",
        "write the vendor's classification as the CCL writes it, e.g. `3A090.a`, `4A090.b`, `5A992.c` or `EAR99`; leave the key out if the vendor published none";
    E0301: RulePack, Error,
        "A pack without `pack.toml`.",
        "a directory of rule files only",
        "add `pack.toml` (name, title, version, engine, coverage_from, researched_until)";
    E0302: RulePack, Error,
        "A rule file larger than 4 MiB.",
        "a generated list file of 5 MB",
        "split the file";
    E0303: RulePack, Error,
        "A pack with more than 100,000 rules.",
        "a generated list file with 150,000 `[[list_entry]]` tables",
        "split or trim the pack";
    E0304: RulePack, Error,
        "A pack `version` that is not a semantic version, or an `engine` that is not a version requirement.",
        "`version = \"1.0\"` → not a semantic version",
        "`version = \"1.0.0\"`, `engine = \"^0.1\"`";
    E0305: RulePack, Error,
        "A pack that needs an engine version other than this one.",
        "`engine = \"^2\"` → this pack needs engine ^2",
        "use a matching engine";
    E0306: RulePack, Error,
        "A pack with no `[[license_requirement]]`.",
        "the requirement files left out of the pack",
        "every determination would read \"no licence required\": restore the requirement files";
    E0307: RulePack, Error,
        "A rule file whose name holds a control character (a line break, a tab).",
        "a file named `ccl.toml\\n5\\n` → the file name holds a control character",
        "rename the file: the pack's hash frames every name, and names are shown in messages";
    E0308: RulePack, Error,
        "An unknown reading of separately packaged ICs in `[aggregation]` of `pack.toml`.",
        "`separate_packages = \"per_board\"`",
        "`per_ic` (each contained IC on its own) or `aggregate` (the contained ICs as one)";
    E0309: RulePack, Error,
        "A `researched_until` (the pack's research cut-off) before its `coverage_from`.",
        "`coverage_from = 2022-01-01`, `researched_until = 2021-12-31`",
        "`researched_until` is the last day whose rules the pack encodes: on or after `coverage_from`";
    E0310: RulePack, Error,
        "A date with a time of day or an offset, in a rule file or a transaction.",
        "`from = 2023-11-17T10:00:00`",
        "a bare date: `from = 2023-11-17`";
    E0311: RulePack, Error,
        "An `until` on or before its `from`.",
        "`until = 2021-11-17` before `from = 2022-10-21`",
        "`until` is the first day the rule no longer applies: it comes after `from`";
    E0312: RulePack, Error,
        "An empty rule id.",
        "`id = \"\"`",
        "use the regulation's paragraph, e.g. `3A090.a.1`";
    E0313: RulePack, Error,
        "An empty `source`.",
        "`source = \"\"`",
        "cite the CFR paragraph and the Federal Register rule";
    E0320: RulePack, Error,
        "A condition that does not parse or does not type-check.",
        "`performance_densty >= 5.92` → unknown attribute, did you mean `performance_density`?; `5,92` → write decimals with a point: `5.92`; `4,800` → no thousands separator (`4800`), or a decimal point (`4.800`); `tpp >= \"4800\"` → numbers are written without quotes; unbalanced `(`; `tpp => 4000` → write `>=`; `TPP` → attribute names are lower case; `kind == computer` → a kind: quote it",
        "fix the condition (see the condition table in README.md)";
    E0330: RulePack, Error,
        "An unknown country code in a rule file.",
        "`\"UK\"` → did you mean `GB`?",
        "ISO 3166-1 alpha-2, upper case";
    E0331: RulePack, Error,
        "An unknown country group.",
        "`groups = [\"D5\"]` → unknown country group, did you mean `D:5`?",
        "name a group defined in country-groups.toml";
    E0332: RulePack, Error,
        "Destinations that name nothing.",
        "`destinations = {}`",
        "name groups or countries, or only exceptions for \"everywhere except\"";
    E0333: RulePack, Error,
        "`items` that is neither `\"all\"` nor a non-empty list.",
        "`items = \"3A090\"`",
        "`\"all\"` or a list: `[\"3A090.a\"]`";
    E0334: RulePack, Error,
        "A country group defined twice.",
        "two `[[country_group]]` tables with `id = \"D:5\"`",
        "keep one definition";
    E0335: RulePack, Error,
        "A country listed twice in one group, or both as a permanent and as a dated member.",
        "`members = [\"CN\", \"CN\"]`",
        "list each member once";
    E0336: RulePack, Error,
        "A dated member without `from` or `until`.",
        "a `[[country_group.dated_member]]` with `country` and `source` only",
        "give its dates, or list it in `members`";
    E0337: RulePack, Error,
        "An unknown or empty list of product kinds.",
        "`kinds = [\"chip\"]`",
        "`integrated_circuit`, `computer`, `memory`";
    E0338: RulePack, Error,
        "A classification paragraph that is not under its ECCN.",
        "`id = \"3A090.b.1\"` with `eccn = \"3A090.a\"`",
        "the paragraph must sit under its ECCN";
    E0339: RulePack, Error,
        "An unknown review policy.",
        "`review_policy = \"presumption_of_denail\"` → did you mean `presumption_of_denial`?",
        "one of the four policies";
    E0340: RulePack, Error,
        "A licence exception that overcomes nothing.",
        "`overcomes = []`",
        "name the requirements it overcomes";
    E0341: RulePack, Error,
        "`items` naming an ECCN or paragraph that no classification rule defines.",
        "`items = [\"3A091.a\"]`",
        "use the suggested id";
    E0342: RulePack, Error,
        "An exclusion that applies to an unknown paragraph (a reference names one paragraph; a family is written with `*`).",
        "`applies_to = [\"3A090.a.3\"]`",
        "use the suggested id, or write the family explicitly (`\"3A090.a.*\"`)";
    E0343: RulePack, Error,
        "`overcomes`, `applies_to` or `unavailable_with` naming no licence requirement: an exact id that no requirement has, or a family (`746.*`) with none under it. A reference names one rule unless it ends in `*`.",
        "`overcomes = [\"742.6(a)(6)(ii)\"]` → did you mean `742.6(a)(6)(i)`?; `unavailable_with = [\"746\"]` → rules sit under `746`: write `\"746.*\"`",
        "use the suggested id, or write the family explicitly";
    E0344: RulePack, Error,
        "`supersedes` naming no review policy (a reference names one policy unless it ends in `*`).",
        "`supersedes = [\"742.6(b)(10)\"]` with no such policy",
        "use the suggested id";
    E0345: RulePack, Error,
        "Two versions of one rule in force on the same day.",
        "two versions of `3A090.a.1` both from 2023-11-17",
        "give the earlier one `until` = the later one's `from`";
    E0346: RulePack, Error,
        "`meets(...)` naming no classification paragraph.",
        "`meets(\"3A090.d\")`",
        "name an existing paragraph";
    E0347: RulePack, Error,
        "A paragraph whose parameters depend on themselves through `meets(...)`.",
        "`3A090.b.1` uses `meets(\"3A090.b\")` (itself)",
        "break the cycle";
    E0350: RulePack, Error,
        "An unknown transaction kind in a scope.",
        "`transaction_kinds = [\"import\"]`",
        "`export`, `reexport` or `in_country_transfer`";
    E0351: RulePack, Error,
        "An unknown party role in a scope.",
        "`parties = { roles = [\"buyer\"] }`",
        "`purchaser`, `intermediate_consignee`, `ultimate_consignee`, `end_user` or `beneficiary`";
    E0352: RulePack, Error,
        "An unknown end use in a scope.",
        "`parties = { end_uses = [\"supercomputers\"] }` → did you mean `supercomputer`?",
        "use the suggested end use";
    E0353: RulePack, Error,
        "A percentage that is not a number from 0 to 100.",
        "`owned_by_listed = { list = \"entity_list\", percent = 150 }`",
        "a share from 0 to 100";
    E0354: RulePack, Error,
        "A party scope that names no condition.",
        "`parties = {}`",
        "give roles, located_in, headquartered_in, for_headquartered_in, listed_on, owned_by_listed or end_uses";
    E0355: RulePack, Error,
        "A list entry footnote other than the foreign direct product footnotes 4 and 5.",
        "`footnote = 3`",
        "4, 5, or no footnote";
    E0356: RulePack, Error,
        "A list entry defined twice.",
        "two `[[list_entry]]` tables with `id = \"EL:huawei-technologies\"`",
        "keep one";
    E0357: RulePack, Error,
        "`listed_on` or `owned_by_listed` naming a list that has no entries.",
        "`listed_on = \"entity-list\"` → did you mean `entity_list`?",
        "use the suggested list";
    E0358: RulePack, Error,
        "A `[[screening_list]]` naming a list that has no `[[list_entry]]`.",
        "`[[screening_list]] list = \"entity-list\"` → did you mean `entity_list`?",
        "use the suggested list, or add the list's entries";
    E0359: RulePack, Error,
        "A `[[screening_list]]` declared complete without `as_of`.",
        "`complete = true` and no `as_of`",
        "give the date of the list imported (`export-controls import-csl` writes it)";
    E0360: RulePack, Error,
        "An unknown region in a licence requirement's `regions`, or `regions` on a rule whose destinations are not Ukraine alone (`countries = [\"UA\"]`): the regions are those of Ukraine that 15 CFR 746.6 treats apart.",
        "`regions = [\"krym\"]`; `regions = [\"crimea\"]` with `destinations = { groups = [\"D:5\"] }`",
        "`crimea`, `dnr`, `lnr` or `other`, with `destinations = { countries = [\"UA\"] }`";
    E0361: RulePack, Error,
        "An unknown `reason` in a licence requirement: the reasons are the reasons for control of 15 CFR 738.2(d)(2) (`AT`, `CB`, `CC`, `CW`, `EI`, `FC`, `MT`, `NP`, `NS`, `RS`, `SI`, `SL`, `SS`, `UN`) and the parts of the EAR that impose a requirement (`embargo`, `Entity List`, `Entity List (affiliates)`, `End use (...)`, `is informed`), written exactly.",
        "`reason = \"SR\"` → did you mean `RS`?",
        "use the suggested reason; the schema lists every one";
    E0362: RulePack, Error,
        "A `confirmed_from` before the rule's `from`, or after its `until`: the first day the sources confirm the rule binds is a day of its period.",
        "`from = 2025-01-31` and `confirmed_from = 2025-01-16`",
        "`from` is the earliest day any source gives for the rule, `confirmed_from` the day from which the sources agree it binds: `from = 2025-01-16` and `confirmed_from = 2025-01-31`";
    E0363: RulePack, Error,
        "A country listed twice among a group's `unverified_members`, or listed both there and as a member (permanent or dated): a membership is either known or unverified.",
        "`members = [\"CY\"]` and `unverified_members = [\"CY\"]`",
        "keep the country in one list: `unverified_members` when the sources do not confirm it";
    E0364: RulePack, Error,
        "`unverified_members` without a non-empty `unverified` (what the sources could not confirm) and `unverified_source` (where the membership is and is not found).",
        "`unverified_members = [\"CY\"]` alone",
        "add `unverified = \"...\"` and `unverified_source = \"...\"`";
    E0365: RulePack, Error,
        "`unverified` or `unverified_source` on a country group with no `unverified_members`.",
        "`unverified = \"...\"` and no `unverified_members`",
        "list the members whose membership is unverified, or drop the fields";
    E0401: RuleTest, Error,
        "An unknown country in a rule test (`to`, `from`).",
        "`to = \"UK\"` → did you mean `GB`?",
        "ISO 3166-1 alpha-2, upper case";
    E0402: RuleTest, Error,
        "A rule test's `date` (or `on`, its name before) that is not a bare date.",
        "`date = 2024-06-01T00:00:00`",
        "a bare date: `date = 2024-06-01`";
    E0403: RuleTest, Error,
        "A rule test naming a product that is in neither the catalog nor the pack's test sheets.",
        "`product = \"nvidia-h2O\"` → did you mean `nvidia-h20`?",
        "use the suggested product, or add its sheet to the pack's `tests/sheets/`";
    E0404: RuleTest, Error,
        "An unknown verdict in a rule test's `expect`, or an unknown reading in its `separate_packages`.",
        "`verdict = \"licence_required\"`; `separate_packages = \"per_board\"`",
        "`no_license_required`, `license_exception`, `license_required` or `indeterminate`; `per_ic` or `aggregate`";
    E0405: RuleTest, Error,
        "A rule-test file larger than 4 MiB.",
        "a generated file of cases for every country and date",
        "split the file";
    E0406: RuleTest, Error,
        "A rule-test case whose `expect` checks nothing: no key, or only `missing = []` or `review_policies = {}`, which hold for every determination.",
        "`[case.expect]` with no key under it → `` case `H20 to China` expects nothing ``",
        "state what the case shows: at least the `verdict`, and the ECCNs, requirements or exceptions it turns on";
    E0501: Transaction, Error,
        "A JSON transaction that does not parse, holds another JSON value than an object, or has a value of the wrong type.",
        "`{\"product\": \"nvidia-h20\",}` → trailing comma",
        "fix the JSON; the keys are those of the TOML form";
    E0503: Transaction, Error,
        "An unknown country in a transaction or a party.",
        "`destination = \"UK\"` → did you mean `GB`?",
        "ISO 3166-1 alpha-2, upper case";
    E0504: Transaction, Error,
        "An unknown party role.",
        "`role = \"buyer\"`",
        "`purchaser`, `intermediate_consignee`, `ultimate_consignee`, `end_user` or `beneficiary`";
    E0505: Transaction, Error,
        "An unknown end use of a party.",
        "`end_uses = [\"supercomputers\"]` → did you mean `supercomputer`?",
        "use the suggested end use";
    E0506: Transaction, Error,
        "An owner's share that is negative, over 100 percent, or owners of one party holding more than 100 percent in all.",
        "`percent = 120` in a `[[party.owner]]`",
        "a share from 0 to 100, and at most 100 in all";
    E0507: Transaction, Error,
        "A transaction file larger than 1 MiB.",
        "a transaction with thousands of parties",
        "one transaction per file: split it";
    E0508: Transaction, Error,
        "A list-entry id (`list_entries` of a party or an owner, `list=` of `--party`) that the rule pack does not hold; checked when the transaction is evaluated against a pack.",
        "`list_entries = [\"EL:huawei-technologiez\"]` → did you mean `EL:huawei-technologies`?",
        "use the suggested id (ids are exact: case and the `EL:` prefix count), or leave the id out and give the name";
    E0509: Transaction, Error,
        "A screening attestation (`screened`) naming a list that the rule pack does not hold.",
        "`screened = [{ list = \"entity-list\", list_date = 2025-01-31 }]` → did you mean `entity_list`?",
        "use the suggested list";
    E0510: Transaction, Error,
        "A name of a party or an owner, or a product's `name` or `vendor`, holding a bidirectional control character (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C): it can make a name display as another (\"Trojan Source\", CVE-2021-42574).",
        "`name = \"\\u202eiewauH\"` shows as `Huawei` but reads `iewauH`",
        "write the name without direction controls";
    E0511: Transaction, Error,
        "A screening attestation (`screened`) whose list is dated after today (checked by the CLI, which has a clock): a list not yet published cannot have been screened against.",
        "`screened = [{ list = \"entity_list\", list_date = 2099-01-01 }]`",
        "give the date of the list version the party was screened against";
    E0512: Transaction, Error,
        "A `destination_region` (a region of Ukraine, 15 CFR 746.6) in a transaction that goes nowhere in Ukraine: neither the destination nor an end user or ultimate consignee is in UA, so the region would be read for nothing.",
        "`destination = \"PL\"` with `destination_region = \"crimea\"`",
        "give the destination UA (the item goes to Ukraine), or leave the region out";
    E0513: Transaction, Error,
        "A transaction with `quantity = 0`: a transaction moves at least one unit.",
        "`quantity = 0`",
        "give the number of units, or leave `quantity` out while it is unknown";
    E0514: Transaction, Error,
        "A party listed twice (the same role, name and country) or an owner listed twice under one party (the same name); names are compared as list matching compares them (case, spacing, punctuation and Unicode forms do not count). Shares are never summed.",
        "two `[[party]]` with `role = \"end_user\"`, `name = \"Example Co\"`, `country = \"CN\"`; two `[[party.owner]]` named `Example Holding` with 25 each",
        "list each party once, and each owner once with its whole share";
    E0515: Transaction, Error,
        "More than 100 parties in one transaction, or more than 100 owners under one party.",
        "a generated list of 2,500 end users",
        "parties: determine each transaction on its own; owners: never split one party's owners across requests (the Affiliates rule adds listed owners' shares \"individually or in aggregate\", 90 FR 47201): name the owners whose shares could count, and review a longer ownership outside this tool";
    E0516: Transaction, Error,
        "Parties prepared for other parties than the query's: `FastQuery::of(&query, &prepared)` with `prepared` made from another list than `query.parties`.",
        "parties prepared once for an order with no end user, reused for a query naming a listed end user",
        "prepare the query's own parties (`CompiledPack::prepare_parties(&query.parties)`), or build the fast query with `FastQuery::export_to(..).with_parties(&prepared)`";
    E0517: Transaction, Error,
        "A party's or an owner's name longer than 1,000 characters. The longest name or alias of the screening lists shipped in `rules/us-ear` is 56 characters; a longer \"name\" is not one, and screening it against every list key costs time in proportion to its length.",
        "ten parties each named with 24,000 characters",
        "give the name as the party or the screening list writes it, without addresses or other text";
    E0518: Transaction, Error,
        "Owners of owners given more than 4 levels deep under one party (`[[party.owner.owner.owner.owner.owner]]`). The Affiliates rule counts ownership \"directly or indirectly\" (90 FR 47201), and owners' own owners are read to 4 levels; a longer chain is to be reviewed, not read partly.",
        "a holding chain of six companies above the end user",
        "review the longer chain outside this tool, or give the ultimate owners under the party with their shares multiplied through the chain";
    E0519: RuleTest, Error,
        "A rule-test case whose `expect` names a requirement id (in `requirements` or as a key of `review_policies`) or a licence exception name (in `exceptions`) that no rule of the pack defines, at any date: a typo or a rule since renamed. An exact set naming it can never pass, and a review policy keyed to it is never checked against the rule meant.",
        "`requirements = [\"742.6(a)(6)(iv)\"]` → expects requirement `742.6(a)(6)(iv)` which no rule in the pack defines",
        "use the id of the rule meant (the help names the nearest), as its `id` (requirements) or `name` (licence exceptions) is written in the pack";
    E0520: Transaction, Error,
        "One company, or possibly one (the same name, compared as list matching reads names: company forms, accents, spacing and case aside, so `Acme GmbH`, `Acme G.m.b.H.`, `Acme AG`, `Acme` and `AcmeGmbH` are one name, or one letter off in one word of 6 letters or more, `Acme Rechenzentrun` for `Acme Rechenzentrum`; and the same country, or no country given for one of the two, which may then be the same company) given twice with different headquarters, parent headquarters or owners: under two roles, or as a party and an owner, or as two owners, at any level of a party's owners (an owner gives no country). One company has one headquarters and one ownership, and the determination would rest on whichever statement the rule reads (the end user's headquarters decide 15 CFR 744.23(a)(3) and 742.6(a)(6)(iii)(A); the Affiliates rule, 90 FR 47201, reads ownership at every level). A fact one statement leaves out is not a contradiction.",
        "`[[party]] role = \"end_user\"`, `name = \"Acme GmbH\"`, `country = \"DE\"`, `headquarters = \"DE\"` and `[[party]] role = \"beneficiary\"`, the same name and country, `headquarters = \"CN\"`",
        "give the company's facts once and the same under every role it has; if they are two companies, name them apart";
    E0521: Transaction, Error,
        "A number in a JSON transaction (file or request body) with more than 15 significant digits, written with a fraction or exponent or too large for a 64-bit integer: JSON readers read such a number as a binary float, which holds up to 15 significant digits exactly (C11 `DBL_DIG`), so it would be read as another number (two owners' shares summing to exactly 50 read as 49.99…, escaping the Affiliates rule's \"50 percent or more\", 90 FR 47201). Written as a string it is read exactly, as TOML numbers are.",
        "`\"percent\": 38.00564285706793587091` → read as 38.00564285706793",
        "write the number as a string (`\"percent\": \"38.00564285706793587091\"`), which is read exactly";
    E0522: Transaction, Error,
        "An owner's `registration` whose number cannot be a company's registration number: blank or without a letter or digit, holding a control or invisible character, or longer than 64 characters. A registration identifies the owner for the Affiliates rule (15 CFR 744.11 as amended by 90 FR 47201, which aggregates ownership by legal persons); a number that identifies nothing would stand for an identification that was not made.",
        "`registration = { country = \"MY\", number = \" \" }`",
        "give the number as the register of companies writes it, with the country of incorporation; for a natural person, or a company whose number you do not have, write `identified = true` instead";
    E0523: Transaction, Error,
        "A name holding a control character (C0 such as a line feed, tab or escape `U+001B`, `U+007F`, C1 `U+0080`-`U+009F`) or a line or paragraph separator (`U+2028`, `U+2029`): a party's or an owner's name, a product's `name` or `vendor`, or a rule test's `name`. It can split a name in two, so that screening and the rules keyed by a part's or a vendor's name read another name, and can forge lines or terminal escapes in printed output. Also the replacement character `U+FFFD`, which a decoder writes for bytes it could not read: the name as written is lost (a form sent in Latin-1 turned `Huáwei` into `Hu\u{fffd}wei`, which no listed name is; tester16 F2).",
        "`name = \"Huawei\\u0000 Technologies\"`, `name = \"H20\\nA100\"`, `\"name\": \"Hu\\ufffdwei\"`",
        "write the name on one line, without control characters, and send text in UTF-8";
    E0524: ProductSheet, Error,
        "A product whose `name` has no letter or digit (empty, spaces, or punctuation only such as `---`): it names no part, and every rule keyed by a part's name (the is-informed letters naming the H20, MI308, A100 and H100, the GP10 guidance on Huawei Ascend ICs) would read it as \"not this part\".",
        "`name = \"  \"` or `name = \"---\"`",
        "give the product's name as the vendor writes it (`H20`, `A100 SXM4 80GB`, `Instinct MI308X`)";
    E0526: ProductSheet, Error,
        "A stand-alone memory (`kind = \"memory\"`) whose own `name` names high-bandwidth memory (`HBM`, `HBM3E`, `High Bandwidth Memory`) with `hbm = false`, where the memory `kind` does not (E0221) and no `stack_area` need be given for E0237 to read: the sheet contradicts itself, and `hbm = false` would take an HBM stack out of 3A090.c, which covers HBM whether or not it follows the JEDEC standards (89 FR 96790).",
        "`name = \"HBM3E 12-high stack\"` with `[memory] kind = \"Stacked DRAM\"`, `hbm = false`",
        "write `hbm = true` for an HBM stack, or correct the name";
    E0527: RulePack, Error,
        "A `--rules` pack that is an older version of the pack embedded in this program (the same name, a lower version: a superseded release) given to `check`, `classify`, `screen`, `plot` or `serve` (and at every reload) without asking for it. Its rules may since have been corrected or tightened, so a determination for a shipment today would rest on superseded rules. Given at the `version` line of its `pack.toml`, naming the version that supersedes it. `replay` and `records verify`, which reproduce records made with it, need no flag.",
        "`check --rules old-us-ear` where `old-us-ear/pack.toml` has `version = \"0.1.30\"` and this program embeds `us-ear 0.1.43`",
        "leave out `--rules` to use the current pack; to make determinations with the old release all the same, pass `--superseded` (library: `PackOptions { allow_superseded: true }`; service: `allow_superseded`), and every determination says `SUPERSEDED PACK:` first in its scope";
    E0528: ProductSheet, Error,
        "A computer or board (`kind = \"computer\"`) whose `name` or `package` counts dies (`OAM module, 2 compute dies`, `2 GCDs`, `8 chiplets`, `8 XCD`, `2 GPU dies`): dies are the parts of one package, one integrated circuit whose figures add up (TPP summed over its processing units, the performance density over all its logic dies; 15 CFR 774 Supp. No. 1, ECCN 3A090, Technical Notes; 88 FR 73458), not separately packaged ICs. Given as a system's `contains`, each die would be read on its own under the pack's per-IC reading of separately packaged ICs, and a package of two H20-class dies (TPP 4,736, 3A090.b) was cleared to China as two ICs of TPP 2,368 (tester16 F1).",
        "`kind = \"computer\"`, `package = \"OAM module, 2 compute dies\"`, `contains = [{ product = \"nvidia-h20\", count = 2 }]`",
        "give a package of several dies as `kind = \"integrated_circuit\"` with its rates and every die in `[[logic_die]]` (`count = 2`); a system describes the separately packaged ICs it holds in their own sheets, not their dies in its package text";
    E0529: RulePack, Error,
        "An equivalence (`[[treated_as]]`) that cannot stand: a country treated as itself; a country treated as two countries on a common day; or a chain (a country treated as one that is itself treated as another, or as one treated as it, on a common day). A destination is read as itself and as each country it is treated as, one step, and is taken out of a scope when any of them is excepted: treated also as an A:5 country, Hong Kong took that country's exception and an H100 to Hong Kong was cleared (tester17 F2); a chain is read one step only.",
        "`[[treated_as]] country = \"HK\"`, `as = \"CN\"`, `from = 2020-12-23` and another `country = \"HK\"`, `as = \"GB\"`, `from = 2024-01-01`",
        "give each country one equivalence at a time (end the earlier one with `until`), naming the country whose controls apply to it directly";
    E0530: Transaction, Error,
        "A form posted to the service's page (`POST /`) with a `charset` other than UTF-8 (`Content-Type: application/x-www-form-urlencoded; charset=ISO-8859-1`): the page reads its form as UTF-8 (it is served as UTF-8, and browsers send its form so), and bytes of another encoding would be read as other characters or lost (`Huáwei` in Latin-1 read as `Hu\u{fffd}wei`, which no listed name is; tester16 F2). Answered 415, nothing determined or recorded.",
        "`curl -H 'Content-Type: application/x-www-form-urlencoded; charset=ISO-8859-1' --data-binary 'parties=role%3Dend_user%2Cname%3DHu%E1wei...' http://127.0.0.1:8080/`",
        "send the form in UTF-8, with no `charset` or `charset=utf-8` (`curl --data-urlencode` encodes UTF-8 text as UTF-8)";
    E0533: Transaction, Error,
        "An empty list, or an empty item in a list, where a query names what to go through: `products` or `destinations` of `POST /v1/screen`, `products` of `GET /bands.svg`, `--products` or `--destinations` of `screen`, `impact` and `plot`. All (the whole catalog, every destination abroad) is the field or flag left out; an empty list written by a client is almost always a list that a bug upstream emptied, and is refused rather than read as all (tester15 D3).",
        "`{\"date\": \"2025-04-20\", \"products\": []}` → `products`: an empty list; `--products nvidia-h20,`",
        "leave the field (or flag) out to go through all of them, or name at least one; check for a doubled or trailing comma";
    E0534: Transaction, Error,
        "A date given under both its names, `date` and `on` (its name before tester round 16), where the old name is still read: a rule-test case (`date = ...` and `on = ...`), the page's form (`date=` and `on=`), the query of `GET /bands.svg` (`?date=...&on=...`), the body of `POST /v1/screen` (`\"date\"` and `\"on\"`; all three answered 422). Which date was meant is not known, so neither is read.",
        "`date = 2024-06-01` and `on = 2025-04-20` in one `[[case]]`",
        "keep one, under its name `date`";
    E0536: Transaction, Error,
        "A form posted to the service's page (`POST /`) with no `charset` (or `charset=utf-8`) whose field, percent-decoded, is not UTF-8: any field's value (or name), not only a party's name. The page reads its form as UTF-8, and the form reader would read the bytes as U+FFFD, another text than the one sent (`Hu%E1wei`, `Huáwei` in Latin-1, read as `Hu\u{fffd}wei`, which no listed name is; tester16 F2). Answered 422 at the field, whose value is not shown again; nothing determined or recorded.",
        "`curl --data-binary 'product=nvidia-h20&to=C%E1&date=2025-04-20' http://127.0.0.1:8080/` → `to` holds bytes that are not UTF-8",
        "send the form in UTF-8 (`curl --data-urlencode` encodes UTF-8 text as UTF-8; a browser sends the page's form so)";
    E0601: Determination, Error,
        "A determination file that is not JSON, or lacks a value that replay needs, or has it of the wrong type.",
        "`{\"verdict\": \"license_required\"` → EOF while parsing an object; no `rules.sha256`",
        "replay the JSON that `check --format json` wrote, unedited";
    E0602: Determination, Error,
        "A key written twice in one object of a determination, at any depth: a record that reads two ways.",
        "`\"verdict\": \"license_required\", ..., \"verdict\": \"no_license_required\"` → the key `verdict` is written twice",
        "a determination is written once by `check`; one with a doubled key was edited: do not trust it";
    E0603: Determination, Error,
        "A determination file larger than 4 MiB.",
        "a file of many determinations, or a device such as `/dev/zero` copied to a file",
        "replay one determination per file";
    E0604: Determination, Error,
        "A determination whose recorded product takes the id of a product of the replaying catalog but differs from the catalog's sheet (E0220 for a recorded product): replayed, forged figures would pass for that product's.",
        "`\"id\": \"nvidia-h100-sxm5-80gb\"` with `\"fp8\": \"10\"` in `inputs.product`",
        "replay the determination as `check` wrote it; a product of its own has its own id";
    E0605: Determination, Error,
        "A stored record (of `serve`'s record store) whose columns (recorded_at, as_of, product, destination, verdict, pack) or request disagree with its determination, or are malformed: `records export` and `records verify` refuse it, replay reports each disagreement.",
        "a row whose `verdict` column says `no_license_required` while its determination says `license_required`",
        "the row was written or altered outside the service: do not trust it; keep it for the investigation";
    E0606: Determination, Error,
        "The hash chain over a record store's rows is broken (`records verify`): a row whose contents no longer hash to its `hash` (changed after it was written), a row whose `prev_hash` is not the previous row's `hash` (the previous row replaced and its hash recomputed), or ids missing (rows deleted). Named at the first record where it breaks.",
        "a row whose request and determination were replaced by ones the engine would make for a clean end user; record 7 deleted between 6 and 8",
        "the store was altered outside the service: do not trust the records from the break on; keep the database for the investigation and compare with an export or backup";
    E0607: Determination, Error,
        "A record store whose hash chain no longer reaches the head (`ID:HASH` from `records head`) given to `records verify --head`: the record with that id is gone (records deleted from the end) or has another hash (the records up to it rewritten, hashes recomputed).",
        "`records verify --head 120:9f86…` on a store whose last record is now 117",
        "the store was truncated or rewritten outside the service: restore it from a backup; keep a new head only after the store verifies";
    E0608: Determination, Error,
        "A replayed record differs from what the engine replaying it decides, and the record was made by another engine: another build of export-controls (another source sha256), or one the record does not name (records kept before records named their engine). The same pack read by another engine may decide otherwise (a corrected check of the inputs), so the difference may be the engine's, not an alteration of the record; under the same engine a difference is a record altered (exit 1).",
        "a record made by the build of commit 886ba2c (end user `Huá Wéi Technologies` cleared), replayed by a later build that compares accented names: `indeterminate`",
        "replay the record with the binary built from the commit the record names (`git checkout COMMIT`, `cargo build`); if it differs there too, the record was altered: do not trust it";
    E0609: Determination, Warning,
        "A stored record carries the catalog sheet (text and SHA-256) of a product it was decided on, and the replaying catalog's sheet of that product differs, or the catalog no longer has it: the catalog was corrected after the record was made. The record is replayed on the sheet it carries (the facts of the day, 15 CFR 762.6), never reported as altered for it; the warning names the product and both SHA-256s. Records made before records carried their sheets are compared with the replaying catalog (E0604).",
        "a record of `example-accel` decided on its sheet with `fp16 = 600` (sha256 4c1f…), replayed after the sheet was corrected to `fp16 = 650` (sha256 9ab0…)",
        "nothing to fix in the record; to see what the corrected sheet decides, make a new determination; to prove the sheet of the day, compare its SHA-256 with the catalog's history (`sha256sum` of the file at the commit in force then)";
    E0610: Determination, Error,
        "A line of `records export` replayed on its own (`replay LINE`) that is not what its `hash` covers: its `determination` is not the stored determination it carries under `hashed` (the Zstandard frame the store keeps, base64), its `request` not the request column kept, or its fields (id, prev_hash, the columns, engine, request, determination) do not hash to its `hash`; a line with `prev_hash` and `hash` exported before lines carried `hashed` (packs us-ear 0.1.18 to 0.1.27) whose fields hash to its `hash` in none of the forms the store of that era kept its determination in (the text, or a Zstandard frame as compressed then). The line was altered after the export, whatever engine it names; replay exits 1, naming the field.",
        "a line whose `determination` and `verdict` were edited to `no_license_required`, its `engine` set to another build",
        "the line was altered: do not trust it; export the record again from the store and run `records verify` on the store";
    E0611: Determination, Error,
        "A stored record that names no engine (`{\"unknown_before\": TIME}`, a record kept before records named their engine) where TIME cannot be the store's migration: the record was recorded at or after TIME (the service names the engine of every record it writes from then on), or TIME is after the moment the record is checked (no migration happened in the future); and in `records verify`, which reads the store in id order, a record naming none after one that names its engine, naming another TIME than the records before it (a store is migrated once), or a TIME after the `recorded_at` of the first record that names its engine. A record altered to pass for one that names no engine, so that a difference reads as the engine's (E0608, exit 4).",
        "`\"engine\": {\"unknown_before\": \"2099-01-01T00:00:00Z\"}` on a record recorded at 2026-12-01T20:00:00Z",
        "the record was written or altered outside the service: do not trust it; keep it for the investigation";
    E0612: Determination, Error,
        "A stored record carries a catalog sheet (the sheet of the day it was decided on, which hashes to its SHA-256), or a request (its transaction or inline product sheet) made by another engine, that the replaying engine refuses (a check added after the record was made): the record cannot be replayed on the facts of the day, or its request compared with its determination, by this engine. It is not an altered record (a request this engine refuses in a record it made itself is E0605); the message names the sheet or the request's field and the replaying engine's code. `records export` writes such records and warns; `records verify` fails them.",
        "a record of the A100 made before E0235 refused 7 nm-class dies under 20 million transistors per mm²; a record of a system whose package says `2 compute dies`, made before E0528",
        "replay the record with the binary that made it (its `engine` names the commit); to see what today's checks say of the product, correct the sheet and make a new determination";
    E0613: Transaction, Error,
        "A request body sent to the service (`POST /v1/determinations`, `POST /v1/screen`) without `Content-Type: application/json`: no Content-Type, another media type (`application/x-www-form-urlencoded`, `text/plain`), or more than one. The body is read as JSON only when it says it is JSON (RFC 9110 §8.3), answered 415 with `Accept: application/json`.",
        "`curl -d @tx.json http://127.0.0.1:8080/v1/determinations` (curl sends `application/x-www-form-urlencoded`)",
        "send `Content-Type: application/json` (`curl -H 'Content-Type: application/json' --data-binary @tx.json ...`)";
    E0614: Transaction, Error,
        "A request body sent to the service with a `Content-Encoding` other than `identity` (`gzip`, `br`, ...): the service does not decode request bodies, so a body said to be compressed is refused, whether it is or not (RFC 9110 §15.5.16: 415 with `Accept-Encoding: identity`), rather than read as what it is not.",
        "`Content-Encoding: gzip` on an uncompressed JSON body",
        "send the body uncompressed, with no `Content-Encoding` header";
    L001: Lint, Error,
        "A condition that can never hold: its bounds on one attribute leave no value.",
        "`tpp >= 4800 and tpp < 2400`",
        "fix the bounds";
    L002: Lint, Warning,
        "A band that ends where no paragraph of the same ECCN family in force at the same time begins: values from there on fall in a gap.",
        "`3A090.b.1` ends at `tpp < 4700` but `3A090.a.1` starts at 4800",
        "close the gap: bands that meet in the regulation meet in the rules";
    L003: Lint, Warning,
        "Two paragraphs of one ECCN with the same condition, in force at the same time.",
        "`3A090.a.1` and `3A090.a.3` both `tpp >= 4800`",
        "remove the duplicate";
    L004: Lint, Warning,
        "A rule in force before its source was published, with no `effective` date to confirm it.",
        "in force from 2022-02-24, published 2022-03-03, no `effective`",
        "confirm with `effective = 2022-02-24`";
    L005: Lint, Warning,
        "A country group that no rule uses.",
        "country group `E:1` never used",
        "remove it or use it";
    L006: Lint, Warning,
        "A screening list with entries that no rule screens parties against.",
        "`[[list_entry]]` tables for `entity_list` and no rule with `listed_on = \"entity_list\"`",
        "add the screening requirement (744.11)";
    L007: Lint, Warning,
        "Paragraphs of two ECCNs of one family whose bands overlap, where neither excludes the other.",
        "`3A090.a.1` and `3A090.b.2` bands overlap",
        "add `not meets(\"3A090.a\")` to the lower paragraph";
    L008: Lint, Error,
        "Two texts of one classification paragraph in force on the same day: a paragraph and one of its sub-paragraphs (the 2022 `3A090.a` and the 2023 `3A090.a.1`), whatever their ids; two versions with the same id are E0345.",
        "`3A090.a` with `until = 2023-12-01` and `3A090.a.1` from 2023-11-17",
        "end the earlier text on the day the later one starts: `until` = the later one's `from`";
    L009: Lint, Error,
        "A `confirmed_until` more than a day before the rule's `from`: the rule's status is confirmed on no day of its period, and a date that far off is a typo.",
        "`from = 2026-11-10` and `confirmed_until = 2025-11-09`",
        "give the last day the sources confirm the rule's status; the day before `from` says it is unconfirmed from its first day";
    L010: Lint, Error,
        "A `source` that cites nothing a reader can open: a placeholder (`TODO`, `TBD`, `FIXME`, `XXX`), or no CFR section, Federal Register citation or public document.",
        "`source = \"TODO\"`; `source = \"BIS rule\"` → names no CFR section, Federal Register citation or public document",
        "cite `15 CFR 742.6(a)(6)(iii)` or `§ 744.23`, `88 FR 73458` or `FR Doc. 2026-02262`, an `https://` address, a filing (`Form 8-K`, `10-K`, `10-Q`), or BIS guidance, an FAQ, a policy statement or a press release";
    L011: Lint, Warning,
        "A `source` that names no CFR section, Federal Register citation or public document, but cites a note (a `.md` or `.csv` file); or a rule's `source`, `note` or `unverified` that cites a file that is not in the repository (anything but a path from the repository root under `rules/` or `docs/`).",
        "`source = \"rules/us-ear/NOTES.md §1\"` (a note alone); `unverified = \"secondary (research.md §3.3)\"` (a file named without its path)",
        "cite the primary document the note relies on; a note in the repository (`rules/us-ear/NOTES.md §1`) may stay as a second reference";
    L012: Lint, Error,
        "A lapse between two versions of one rule (same kind and id), or between a licence requirement and the one it replaced in the regulation (named with `succeeds`): one ends (`until`, the first day it no longer applies) before the next one starts, so the requirement is in force on none of the days between, and the later rule does not say why with `follows_lapse`. An error, because a mistyped date clears every product on those days; a real lapse (a stay, a rescission then a new rule) is written down on the later version.",
        "`742.6(a)(6)(i)` with `until = 2023-01-10` and its next version `from = 2023-01-17` → in force in no version from 2023-01-10 to 2023-01-16",
        "start the later version on the earlier one's `until`, or, if the rule truly lapsed, say why on the later version: `follows_lapse = \"stayed by 90 FR 50857 from 2025-11-10 to 2026-11-09\"`";
    L013: Lint, Warning,
        "A `confirmed_from` after `from` on a rule with no `unverified`: the days before it are unconfirmed, and nothing says which dates the sources give for the rule's start.",
        "`from = 2025-01-16`, `confirmed_from = 2025-01-31` and no `unverified`",
        "say in `unverified` which effective dates the sources give, and where";
    L014: Lint, Warning,
        "A rule whose `from` is the pack's `coverage_from`: most often a long-standing rule written to start where the pack starts rather than on its effective date, which answers nothing for earlier days once `coverage_from` is moved earlier.",
        "`746.7` (Iran) with `from = 2022-01-01` and `coverage_from = 2022-01-01` → `` `746.7` starts on 2022-01-01, where the pack's coverage starts: give its effective date ``",
        "write the date the regulation put the rule in force, citing the FR rule; where the pack can cite only a later date, write it and say why in `predates_from`";
    L015: Lint, Error,
        "A destination set (`destinations`, or a party's `located_in`, `headquartered_in` or `end_use_in`) that names countries or groups, every one of which its exceptions remove: the rule concerns no destination and never applies.",
        "`destinations = { countries = [\"IR\"], except_countries = [\"IR\"] }`; `{ groups = [\"E:1\"], except_groups = [\"E:1\"] }`",
        "remove the exception that takes out what the set names";
    L016: Lint, Error,
        "The pack's `coverage_from` earlier than the days its rules were written for: before the `from` of a licence requirement that says with `predates_from` it was in force earlier in a text the pack does not encode, or a screening-list entry in force on covered days before any licence requirement screens its list. On those days the pack would clear what the regulation required a licence for.",
        "`coverage_from = 1990-01-01` with `746.2` (Cuba) `from = 1996-04-24` and `predates_from = \"the embargo dates from 1962\"`",
        "start `coverage_from` on or after the rule's `from`, or encode the earlier text for the days before";
    L017: Lint, Warning,
        "A country group or a country written twice in one list (`groups`, `countries`, `except_groups` or `except_countries`) of one destination set (`destinations`, or a party's `located_in`, `headquartered_in`, `for_headquartered_in` or `end_use_in`). The set means the same with the name once; the second is often a slip for another group or country, whose destinations the rule then leaves out. The finding points at the second, and names where the first is. A country written twice in a country group's `members` is refused when the pack loads (E0335).",
        "`destinations = { groups = [\"D:5\", \"D:5\"] }` → country group `D:5` is written twice in `groups`",
        "remove the repeated name, or write the group or country that was meant in its place";
    L021: Lint, Warning,
        "A country group with no member on any day: `members = []`, and no `dated_member` or `unverified_members`. Every group of 15 CFR 740 Supp. No. 1 has members, so an empty one is almost certainly an authoring mistake: a rule naming it concerns no country, and an exception naming it removes none. The finding points at `members`.",
        "`[[country_group]]` `id = \"D:5\"` with `members = []`",
        "list the group's members from its source (15 CFR 740 Supp. No. 1), or remove the group";
    L022: Lint, Error,
        "A country group or a country named in a destination set (`destinations`, or a party's `located_in`, `headquartered_in`, `for_headquartered_in` or `end_use_in`) that the set's own exceptions remove entirely, while other names keep the set from naming nothing (L015): the name adds no destination. Naming a place and excepting it is a contradiction, most often a slip for another group in the exceptions: `except_groups = [\"A:5\", \"A:6\", \"D:1\"]` beside `groups = [\"D:1\", \"D:4\", \"D:5\"]` took every D:1-only destination (Armenia, Georgia, Kazakhstan, ...) out of 742.6(a)(6)(iii) and linted clean (tester17). Groups are read as L015 reads them.",
        "`destinations = { groups = [\"D:1\", \"D:4\", \"D:5\"], except_groups = [\"A:5\", \"A:6\", \"D:1\"] }`; `{ groups = [\"D:5\"], countries = [\"MO\"], except_countries = [\"MO\"] }`",
        "remove the exception that takes out what the set names (a slip for another group?), or the name";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A text that is not a known code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown diagnostic code `{0}`; codes are listed in rules/ERRORS.md")]
pub struct UnknownCode(pub String);

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s).ok_or_else(|| UnknownCode(s.to_string()))
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ordered_unique_and_read_back() {
        for pair in Code::ALL.windows(2) {
            assert!(pair[0] < pair[1] && pair[0].as_str() < pair[1].as_str(), "{pair:?}");
        }
        for c in Code::ALL {
            assert_eq!(c.as_str().parse::<Code>(), Ok(*c));
            let prefix = if c.area() == Area::Lint { 'L' } else { 'E' };
            assert!(c.as_str().starts_with(prefix), "{c} is in {:?}", c.area());
            assert!(c.meaning().ends_with('.'), "{c}: a meaning is a sentence");
        }
        assert!("E0502".parse::<Code>().is_err());
        assert_eq!(serde_json::to_string(&Code::E0210).ok().as_deref(), Some("\"E0210\""));
    }

    #[test]
    fn errors_stop_a_load_and_lints_are_mostly_warnings() {
        // Every code of a file loaded or replayed is an error, but E0609: a record replayed on
        // the catalog sheet it carries while today's differs is said, and passes.
        let not_errors: Vec<Code> =
            Code::ALL.iter().filter(|c| c.area() != Area::Lint && c.severity() != Severity::Error).copied().collect();
        assert_eq!(not_errors, [Code::E0609]);
        assert_eq!(Code::E0609.severity(), Severity::Warning);
        assert_eq!(Code::L001.severity(), Severity::Error);
        assert_eq!(Code::L002.severity(), Severity::Warning);
    }
}
