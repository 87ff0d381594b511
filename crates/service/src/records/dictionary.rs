//! The Zstandard dictionaries the SQLite store compresses determinations with (RFC 8878
//! section 5: a dictionary primes the compressor with content seen before, so that a frame
//! refers to it rather than repeating it).
//!
//! A determination's JSON is mostly the same text from one request to the next (keys, rule
//! ids, citations, the trace's wording); with a dictionary trained on determinations, a frame
//! of an H20 → CN determination (29 KB of JSON) is about 1.5 KB instead of 6.6 KB, and its
//! compression about a third of the instructions (crates/service/BENCHMARKS.md).
//!
//! Each dictionary is built into the binary and never changed or removed: its id is written
//! in the header of every frame compressed with it (RFC 8878 section 3.1.1.1.3,
//! `Dictionary_ID`), and a record is decoded with the dictionary its frame names, so records
//! written with an older dictionary, or none (frames from before dictionaries, `Dictionary_ID`
//! absent), still decode. A new dictionary gets a new id and file; [`CURRENT`] names the one
//! new records are compressed with.
//!
//! `determinations-1.zdict` was trained with the reference tool on 2,000 determinations of
//! pack us-ear 0.1.20 (random catalog products × 22 destinations × 8 dates, 40% with parties;
//! none on the dates the benchmarks post): `crates/service/bench/dict-samples.py`, then
//! `zstd --train -q SAMPLES/*.json -o determinations-1.zdict --maxdict=262144
//! --dictID=1162018817`. `determinations-2.zdict` (new records from 2026-12-02 until pack 0.1.33) was
//! trained the same way, with the same seed, dates and count, on the determinations of pack
//! us-ear 0.1.29; `determinations-3.zdict` (from pack 0.1.33 until 0.1.39) on those of
//! pack us-ear 0.1.33, whose wording had moved on again: on 500 determinations of dates kept
//! out of the training (`dict-samples.py test 2025-04-20,2024-06-01,2023-11-20,2025-10-01,2026-06-01
//! 22 500`, pack 0.1.33) the frames at [`ZSTD_LEVEL`] (the zstd tool) are 552,379 bytes in all
//! with `determinations-3.zdict`, 623,079 with `-2` and 659,028 with `-1` (−11.3% and −16.2%;
//! crates/service/BENCHMARKS.md). `determinations-4.zdict` ([`CURRENT`] since pack 0.1.39) the
//! same way on pack us-ear 0.1.39's determinations (`dict-samples.py train` as above, seed 11,
//! 2,000; `--dictID=1162018820`): on 500 determinations of the kept-out dates (`dict-samples.py
//! test … 22 500`, pack 0.1.39) the frames at level 3 (the zstd tool) are 616,273 bytes in all
//! against 959,129 with `-3` (−35.7%), and an H20 → CN 2025-04-20 frame (36,661 bytes of JSON)
//! takes 225,513 instructions and 1,659 bytes against 301,256 and 2,401 (`bench/zstd-levels.c`,
//! Debian's libzstd). `determinations-5.zdict` ([`CURRENT`] since pack 0.1.45) the same way on
//! pack us-ear 0.1.45's determinations (`dict-samples.py train` as above, seed 11, 2,000;
//! `--dictID=1162018821`): on 500 determinations of the kept-out dates (`dict-samples.py test
//! … 22 500`, pack 0.1.45) the frames at level 3 (the zstd tool) are 672,440 bytes in all
//! against 789,564 with `-4` (−14.8%), and an H20 → CN 2025-04-20 frame (42,122 bytes of JSON)
//! takes 254,615 instructions and 1,877 bytes against 298,148 and 2,314
//! (`bench/zstd-levels.c`, Debian's libzstd). `determinations-6.zdict` ([`CURRENT`] since
//! pack 0.1.48) the same way on pack us-ear 0.1.48's determinations (`dict-samples.py train` as
//! above, seed 11, 2,000; `--dictID=1162018822`): on 500 determinations of the kept-out dates
//! (`dict-samples.py test … 22 500`, pack 0.1.48) the frames at level 3 (the zstd tool) are
//! 660,637 bytes in all against 832,279 with `-5` (−20.6%), and an H20 → CN 2025-04-20 frame
//! (42,894 bytes of JSON) takes 247,830 instructions and 1,855 bytes against 281,943 and 2,167
//! (the zstd 1.5.7 sources the service builds, callgrind; crates/service/BENCHMARKS.md). A
//! record reads without this program: `zstd -dc -D crates/service/dict/determinations-6.zdict
//! d.json.zst` (the dictionary its frame names: `zstd -lv`).

use std::sync::LazyLock;

use zstd::dict::{DecoderDictionary, EncoderDictionary};

use super::{StoreError, ZSTD_LEVEL};

/// A dictionary built into the binary.
pub struct Dictionary {
    /// Its id, as the frames compressed with it carry it (and as the file's header holds it).
    pub id: u32,
    /// The dictionary file (the reference tool's format: magic number EC30A437, the id, the
    /// entropy tables, the content).
    pub bytes: &'static [u8],
}

/// Every dictionary records were ever compressed with, oldest first. Never remove one.
pub const ALL: [Dictionary; 6] = [
    Dictionary { id: 1_162_018_817, bytes: include_bytes!("../../dict/determinations-1.zdict") },
    Dictionary { id: 1_162_018_818, bytes: include_bytes!("../../dict/determinations-2.zdict") },
    Dictionary { id: 1_162_018_819, bytes: include_bytes!("../../dict/determinations-3.zdict") },
    Dictionary { id: 1_162_018_820, bytes: include_bytes!("../../dict/determinations-4.zdict") },
    Dictionary { id: 1_162_018_821, bytes: include_bytes!("../../dict/determinations-5.zdict") },
    Dictionary { id: 1_162_018_822, bytes: include_bytes!("../../dict/determinations-6.zdict") },
];

/// The dictionary new records are compressed with.
pub const CURRENT: &Dictionary = &ALL[5];

/// [`CURRENT`] prepared for compression at [`ZSTD_LEVEL`] (made once).
pub(crate) static ENCODER: LazyLock<EncoderDictionary<'static>> =
    LazyLock::new(|| EncoderDictionary::copy(CURRENT.bytes, ZSTD_LEVEL));

/// Every dictionary of [`ALL`] prepared for decompression (made once, on the first read).
static DECODERS: LazyLock<Vec<(u32, DecoderDictionary<'static>)>> =
    LazyLock::new(|| ALL.iter().map(|d| (d.id, DecoderDictionary::copy(d.bytes))).collect());

/// The prepared dictionary with this id.
///
/// # Errors
/// [`StoreError`] naming the id when this binary has no such dictionary (a frame written by a
/// newer version of the service).
pub(crate) fn decoder(id: u32) -> Result<&'static DecoderDictionary<'static>, StoreError> {
    DECODERS.iter().find(|(i, _)| *i == id).map(|(_, d)| d).ok_or_else(|| {
        StoreError(format!(
            "the determination's Zstandard frame names dictionary {id}, which this version does not have"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each file is a dictionary in the reference format (magic number 0xEC30A437, RFC 8878
    /// section 5, little-endian) carrying the id it is listed with; the ids are distinct.
    #[test]
    fn each_dictionary_carries_its_id() {
        for d in &ALL {
            assert_eq!(d.bytes[..4], [0x37, 0xA4, 0x30, 0xEC]);
            assert_eq!(u32::from_le_bytes([d.bytes[4], d.bytes[5], d.bytes[6], d.bytes[7]]), d.id);
            assert_eq!(ALL.iter().filter(|o| o.id == d.id).count(), 1);
        }
        assert!(decoder(CURRENT.id).is_ok());
        assert_eq!(CURRENT.id, ALL[ALL.len() - 1].id, "new records use the newest dictionary");
        let Err(e) = decoder(7) else { panic!("no dictionary 7 is built in") };
        assert!(e.to_string().contains("dictionary 7"), "{e}");
    }

    /// Frames written with each older dictionary (`determinations-1.zdict` until 2026-12-02,
    /// `-2` until pack 0.1.33, `-3` until pack 0.1.39, `-4` until pack 0.1.45, `-5` until pack
    /// 0.1.48) still decode to their bytes and name their dictionary, and one written now names
    /// [`CURRENT`], `determinations-6.zdict`. How large the frames are
    /// is measured, not asserted (crates/service/BENCHMARKS.md): it moves with every change to
    /// the pack's text.
    #[test]
    fn frames_of_the_older_dictionaries_still_decode() {
        let rules = export_controls::RuleSet::shipped().unwrap();
        let catalog = export_controls::Catalog::shipped().unwrap();
        for (product, to, on) in [("nvidia-h20", "CN", "2025-04-20"), ("nvidia-h100-sxm5-80gb", "MY", "2025-06-01")] {
            let q = export_controls::Query::export_to(to.parse().unwrap(), on.parse().unwrap());
            let d =
                rules.evaluate(catalog.get(product).unwrap(), &q, export_controls::Options { trace: true }).unwrap();
            let text = crate::determine::determination_json(&d);
            let want = super::super::Stored::Text(String::from_utf8(text.clone()).unwrap());
            for older in &ALL[..ALL.len() - 1] {
                let prepared = EncoderDictionary::copy(older.bytes, ZSTD_LEVEL);
                let old = zstd::bulk::Compressor::with_prepared_dictionary(&prepared).unwrap().compress(&text).unwrap();
                assert_eq!(zstd::zstd_safe::get_dict_id_from_frame(&old).map(|i| i.get()), Some(older.id));
                assert_eq!(super::super::Stored::decode("zstd", old).unwrap(), want);
            }
            let super::super::Stored::Zstd(now) = super::super::Stored::compress(&text).unwrap() else {
                panic!("not compressed")
            };
            assert_eq!(zstd::zstd_safe::get_dict_id_from_frame(&now).map(|i| i.get()), Some(1_162_018_822));
            assert_eq!(super::super::Stored::decode("zstd", now).unwrap(), want);
        }
    }
}
