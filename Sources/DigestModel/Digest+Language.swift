import CoalitionData

extension Digest {
    /// What a digest in another language than the coalition's shows in
    /// the original because staff have not translated it.
    public struct Untranslated: Sendable, Equatable {
        /// The language the originals are in (the coalition's).
        public var original: String
        /// Calls (by date) whose notes are shown in the original.
        public var callNotes: Set<LocalDate> = []
        /// Calls (by date) whose title is shown in the original.
        public var callTitles: Set<LocalDate> = []
        /// Positions in ``Digest/events`` of events whose title is in the original.
        public var events: Set<Int> = []
        /// Positions in ``Digest/actions`` of actions whose title or details are in the original.
        public var actions: Set<Int> = []
        /// Entries of the coalition's own sections whose title or details
        /// are in the original, as `section name` and position in it.
        public var listingItems: Set<ListingPlace> = []
        /// Whether the petition's title is in the original (no `title_<tag>`).
        public var petitionTitle = false
        /// Frameworks counted by the digest whose name is in the original
        /// (no `name_<tag>` in `coalition.yaml`), by that name.
        public var frameworks: Set<String> = []
        /// Positions in the period's new commitments of those whose title
        /// is in the original.
        public var commitments: Set<Int> = []
        /// Positions in ``Digest/vnr``'s reviews of those whose engagement
        /// is in the original.
        public var reviews: Set<Int> = []
        /// The same for the notes (the workbook shows them).
        public var reviewNotes: Set<Int> = []
        /// Positions in ``Digest/events`` of events whose place is in the
        /// original (no `location_<tag>`, and it does not end with a country).
        public var eventPlaces: Set<Int> = []

        /// An entry's place: its section's name and its position there.
        public struct ListingPlace: Hashable, Sendable {
            /// The section's name.
            public var section: String
            /// The position in ``Digest/listings``' items of that section.
            public var index: Int
        }

        /// Whether nothing is left in the original.
        public var isEmpty: Bool { count == 0 }
        /// How many parts are left in the original.
        public var count: Int {
            callNotes.count + callTitles.count + events.count + actions.count + listingItems.count
                + (petitionTitle ? 1 : 0) + frameworks.count + commitments.count + reviews.count + reviewNotes.count
                + eventPlaces.count
        }

    }

    /// The digest as readers of `language` get it: each call's title and
    /// notes, each event's and action's title and details in `language`
    /// where staff translated them (``CallTranslation``, the `title_fr`
    /// columns), else the original, recorded in ``untranslated``. In the
    /// coalition's own language, the digest itself.
    public func localized(to language: String) -> Digest {
        guard language != coalition.language, untranslated == nil else { return self }
        var digest = self
        var missing = Untranslated(original: coalition.language)
        for index in digest.calls.indices {
            let call = digest.calls[index]
            // A cancelled call has no notes to translate; a call without notes or title needs none.
            let translation = call.translations[language]
            if let title = translation?.title {
                digest.calls[index].title = title
            } else if call.title != nil {
                missing.callTitles.insert(call.date)
            }
            if let notes = translation?.notes, !notes.isEmpty {
                digest.calls[index].notes = notes
            } else if !call.notes.isEmpty {
                missing.callNotes.insert(call.date)
            }
        }
        if let petition = coalition.petition {
            if let title = petition.titles[language] {
                digest.coalition.petition?.title = title
            } else if digest.petition != nil {
                missing.petitionTitle = true
            }
        }
        // Framework names: every one the digest counts.
        let frameworks = coalition.frameworks ?? FrameworkList()
        for tally in digest.commitments.byFramework {
            if let name = frameworks.name(tally.name, in: language) {
                digest.frameworkNames[tally.name] = name
            } else {
                missing.frameworks.insert(tally.name)
            }
        }
        // Commitment titles and the coalition's part in a VNR, where translated.
        for index in digest.commitments.new.indices {
            if let title = digest.commitments.new[index].titles[language] {
                digest.commitments.new[index].title = title
            } else {
                missing.commitments.insert(index)
            }
        }
        for index in digest.vnr.reviews.indices {
            let review = digest.vnr.reviews[index]
            if let translated = review.engagements[language] {
                digest.vnr.reviews[index].engagement = translated
            } else if review.isEngaged {
                missing.reviews.insert(index)
            }
            if let notes = review.notesByLanguage[language] {
                digest.vnr.reviews[index].notes = notes
            } else if review.notes != nil {
                missing.reviewNotes.insert(index)
            }
        }
        for index in digest.events.indices {
            let event = digest.events[index]
            if let location = event.locations[language] {
                digest.events[index].location = location
                // Staff's words, as written: nothing to name again.
                digest.events[index].locationTranslated = true
            } else if event.location != nil && event.placeCountry == nil {
                missing.eventPlaces.insert(index)
            }
            if let title = event.titles[language] {
                digest.events[index].title = title
            } else {
                missing.events.insert(index)
            }
        }
        for index in digest.actions.indices {
            let action = digest.actions[index]
            var complete = true
            if let title = action.titles[language] {
                digest.actions[index].title = title
            } else {
                complete = false
            }
            if action.details != nil {
                if let details = action.detailsByLanguage[language] {
                    digest.actions[index].details = details
                } else {
                    complete = false
                }
            }
            if !complete { missing.actions.insert(index) }
        }
        for position in digest.listings.indices {
            let name = digest.listings[position].section.name
            if let heading = digest.listings[position].section.headings[language] {
                digest.listings[position].section.heading = heading
            }
            for index in digest.listings[position].items.indices {
                let item = digest.listings[position].items[index]
                var complete = true
                if let title = item.titles[language] {
                    digest.listings[position].items[index].title = title
                } else {
                    complete = false
                }
                if item.details != nil {
                    if let details = item.detailsByLanguage[language] {
                        digest.listings[position].items[index].details = details
                    } else {
                        complete = false
                    }
                }
                if !complete { missing.listingItems.insert(Untranslated.ListingPlace(section: name, index: index)) }
            }
        }
        digest.untranslated = missing
        return digest
    }
}
