import CoalitionData
import DigestModel

/// What the records of a period say about one country: the calls it took
/// part in, its commitments by status and its Voluntary National Review.
struct CountryActivity {
    let country: Country
    var callDates: [LocalDate] = []
    var commitments: [CommitmentStatus: Int] = [:]
    var reviewYear: Int?
    var engagement: String?

    /// Every country in the period's calls, in the commitments up to its
    /// end, or in the reviews of its years: by region, subregion, then name.
    static func of(dataset: CoalitionDataset, digest: Digest) -> [CountryActivity] {
        var byCode: [String: CountryActivity] = [:]
        func update(_ country: Country, _ change: (inout CountryActivity) -> Void) {
            var item = byCode[country.alpha3] ?? CountryActivity(country: country)
            change(&item)
            byCode[country.alpha3] = item
        }
        for call in digest.calls {
            for country in call.countries { update(country) { $0.callDates.append(call.date) } }
        }
        for commitment in dataset.commitments where commitment.date <= digest.period.lastDay {
            if let country = commitment.country {
                update(country) { $0.commitments[commitment.status, default: 0] += 1 }
            }
        }
        for review in digest.vnr.reviews {
            update(review.country) { item in
                item.reviewYear = max(item.reviewYear ?? review.year, review.year)
                if let engagement = review.engagement {
                    item.engagement = [item.engagement, engagement].compactMap { $0 }.joined(separator: "; ")
                }
            }
        }
        return byCode.values.sorted {
            ($0.country.region, $0.country.subregion, $0.country.name)
                < ($1.country.region, $1.country.subregion, $1.country.name)
        }
    }
}
