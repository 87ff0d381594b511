//! Why a licence requirement applies: its `reason`, a closed vocabulary. The reasons for control
//! of the Commerce Control List (15 CFR 738.2(d)(2)(i)(A); 3A090 and 4A090 are controlled for RS
//! and AT, ref §4.1), and the other parts of the EAR that impose a requirement this pack encodes:
//! part 744 end-use and end-user controls (the Entity List, its Affiliates rule, the end uses of
//! 744.2-744.4, 744.21, 744.22 and 744.23), part 746 embargoes and is-informed letters (744.6, 744.23(b)).

use crate::diagnostic::did_you_mean;

/// The reason a licence requirement applies, as a rule file writes it in `reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ControlReason {
    /// `AT`: anti-terrorism (15 CFR 742.8-742.10, 738.2(d)(2)).
    AntiTerrorism,
    /// `CB`: chemical and biological weapons (15 CFR 742.2).
    ChemicalBiological,
    /// `CC`: crime control (15 CFR 742.7).
    CrimeControl,
    /// `CW`: Chemical Weapons Convention (15 CFR 742.18).
    ChemicalWeaponsConvention,
    /// `EI`: encryption items (15 CFR 742.15).
    EncryptionItems,
    /// `FC`: Firearms Convention (15 CFR 742.17).
    FirearmsConvention,
    /// `MT`: missile technology (15 CFR 742.5).
    MissileTechnology,
    /// `NP`: nuclear nonproliferation (15 CFR 742.3).
    NuclearNonproliferation,
    /// `NS`: national security (15 CFR 742.4).
    NationalSecurity,
    /// `RS`: regional stability (15 CFR 742.6; 3A090 and 4A090 by 742.6(a)(6)).
    RegionalStability,
    /// `SI`: significant items (15 CFR 742.14).
    SignificantItems,
    /// `SL`: surreptitious listening (15 CFR 742.13).
    SurreptitiousListening,
    /// `SS`: short supply (15 CFR part 754).
    ShortSupply,
    /// `UN`: United Nations embargo (15 CFR 746.1(b)).
    UnitedNations,
    /// `embargo`: a part 746 embargo or sanction (Cuba, Iran, North Korea, Syria, Russia and
    /// Belarus, the regions of Ukraine).
    Embargo,
    /// `Entity List`: a party listed in Supp. No. 4 to part 744 (15 CFR 744.11).
    EntityList,
    /// `Entity List (affiliates)`: a party owned 50 % or more by listed entities (15 CFR
    /// 744.11(a)(1), the Affiliates rule of 90 FR 47201).
    EntityListAffiliates,
    /// `End use (supercomputer)`: 15 CFR 744.23(a)(1).
    EndUseSupercomputer,
    /// `End use (advanced-node IC production)`: 15 CFR 744.23(a)(2).
    EndUseAdvancedNodeIcProduction,
    /// `End use (AI training)`: training AI models for or on behalf of a party in, or
    /// headquartered in, Macau or D:5 (BIS policy statement of 2025-05-13).
    EndUseAiTraining,
    /// `End use (WMD)`: nuclear, missile, chemical and biological weapons end uses (15 CFR
    /// 744.2-744.4).
    EndUseWmd,
    /// `End use (military)`: military end uses and end users (15 CFR 744.21).
    EndUseMilitary,
    /// `End use (military intelligence)`: military-intelligence end uses and end users (15 CFR
    /// 744.22, added by 86 FR 4865).
    EndUseMilitaryIntelligence,
    /// `is informed`: BIS informed the exporter that a licence is required (15 CFR 744.6,
    /// 744.23(b)), as in the letters to NVIDIA and AMD.
    IsInformed,
    /// `General Prohibition 10`: no dealing in an item subject to the EAR known to have been
    /// exported, or produced, in violation of the EAR (15 CFR 736.2(b)(10)), without BIS
    /// authorization, as BIS's guidance of 2025-05-13 reads it for Huawei Ascend 910B, 910C and
    /// 910D ICs.
    GeneralProhibition10,
}

impl ControlReason {
    /// Every reason, in the order the schema lists them.
    pub const ALL: [ControlReason; 25] = [
        Self::AntiTerrorism,
        Self::ChemicalBiological,
        Self::CrimeControl,
        Self::ChemicalWeaponsConvention,
        Self::EncryptionItems,
        Self::FirearmsConvention,
        Self::MissileTechnology,
        Self::NuclearNonproliferation,
        Self::NationalSecurity,
        Self::RegionalStability,
        Self::SignificantItems,
        Self::SurreptitiousListening,
        Self::ShortSupply,
        Self::UnitedNations,
        Self::Embargo,
        Self::EntityList,
        Self::EntityListAffiliates,
        Self::EndUseSupercomputer,
        Self::EndUseAdvancedNodeIcProduction,
        Self::EndUseAiTraining,
        Self::EndUseWmd,
        Self::EndUseMilitary,
        Self::EndUseMilitaryIntelligence,
        Self::IsInformed,
        Self::GeneralProhibition10,
    ];

    /// The word a rule file writes, and determinations show: `RS`, `embargo`, `End use (WMD)`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AntiTerrorism => "AT",
            Self::ChemicalBiological => "CB",
            Self::CrimeControl => "CC",
            Self::ChemicalWeaponsConvention => "CW",
            Self::EncryptionItems => "EI",
            Self::FirearmsConvention => "FC",
            Self::MissileTechnology => "MT",
            Self::NuclearNonproliferation => "NP",
            Self::NationalSecurity => "NS",
            Self::RegionalStability => "RS",
            Self::SignificantItems => "SI",
            Self::SurreptitiousListening => "SL",
            Self::ShortSupply => "SS",
            Self::UnitedNations => "UN",
            Self::Embargo => "embargo",
            Self::EntityList => "Entity List",
            Self::EntityListAffiliates => "Entity List (affiliates)",
            Self::EndUseSupercomputer => "End use (supercomputer)",
            Self::EndUseAdvancedNodeIcProduction => "End use (advanced-node IC production)",
            Self::EndUseAiTraining => "End use (AI training)",
            Self::EndUseWmd => "End use (WMD)",
            Self::EndUseMilitary => "End use (military)",
            Self::EndUseMilitaryIntelligence => "End use (military intelligence)",
            Self::IsInformed => "is informed",
            Self::GeneralProhibition10 => "General Prohibition 10",
        }
    }

    /// The reason written exactly as `word` (case and spaces count), if any.
    pub fn parse(word: &str) -> Option<ControlReason> {
        Self::ALL.into_iter().find(|r| r.as_str() == word)
    }

    /// The reason an unknown `word` was most likely meant to be: the same word in another case
    /// (`rs`), the same letters in another order (`SR` for `RS`), else the nearest by edit
    /// distance (`embrago`).
    pub fn suggest(word: &str) -> Option<&'static str> {
        let names = Self::ALL.map(Self::as_str);
        if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(word)) {
            return Some(n);
        }
        let letters = |s: &str| {
            let mut v: Vec<char> = s.to_ascii_uppercase().chars().collect();
            v.sort_unstable();
            v
        };
        let sorted = letters(word);
        if let Some(n) = names.iter().find(|n| letters(n) == sorted) {
            return Some(n);
        }
        did_you_mean(word, names)
    }
}

impl std::fmt::Display for ControlReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_from_its_word() {
        for r in ControlReason::ALL {
            assert_eq!(ControlReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(ControlReason::parse("rs"), None);
        assert_eq!(ControlReason::parse("RS "), None);
    }

    #[test]
    fn a_mistyped_reason_is_matched_to_the_intended_one() {
        assert_eq!(ControlReason::suggest("SR"), Some("RS"));
        assert_eq!(ControlReason::suggest("rs"), Some("RS"));
        assert_eq!(ControlReason::suggest("Embargo"), Some("embargo"));
        assert_eq!(ControlReason::suggest("End use (supercomputers)"), Some("End use (supercomputer)"));
        assert_eq!(ControlReason::suggest("regional stability and anti-terrorism"), None);
    }
}
