extension PlanSetLoader {
    /// The second pass: builds the catalogue and checks every reference between files; throws every problem found.
    mutating func finish() throws(ConfigErrors) -> PlanSet {
        var catalog = Catalog()
        var sourceSites: [String: Located<DataSource>] = [:]
        for entry in sources {
            if let first = sourceSites[entry.value.id] {
                sink.report(entry.file, entry.line, "source '\(entry.value.id)' is already defined at \(site(first.file, first.line)); keep one")
                continue
            }
            sourceSites[entry.value.id] = entry
            if let clash = catalog.add(entry.value) {
                sink.report(entry.file, entry.line, "source '\(entry.value.id)' uses the name '\(clash.name)', which already means source '\(clash.owner)'; names and aliases must be unique")
            }
        }
        var indicatorSites: [String: Located<Indicator>] = [:]
        for entry in indicators {
            if let first = indicatorSites[entry.value.id] {
                sink.report(entry.file, entry.line, "indicator '\(entry.value.id)' is already defined at \(site(first.file, first.line)); keep one")
                continue
            }
            indicatorSites[entry.value.id] = entry
            if let clash = catalog.add(entry.value) {
                sink.report(entry.file, entry.line, "indicator '\(entry.value.id)' uses the name '\(clash.name)', which already means indicator '\(clash.owner)'; names and aliases must be unique")
            }
        }
        for (_, targets) in pendingTargets.sorted(by: { $0.key < $1.key }) {
            for pending in targets where !pending.indicatorGiven && pending.isMilestone {
                guard catalog.indicators[pending.id] == nil else { continue }
                catalog.add(Indicator(
                    id: pending.id, name: pending.target?.title ?? pending.id, unit: "%",
                    publicationLag: CalendarDuration(months: 3)))
            }
        }
        for entry in indicators {
            for id in entry.value.sources where sourceSites[id] == nil {
                let known = Catalog.closest(to: id, among: sourceSites.keys)
                sink.report(entry.file, entry.line(of: "sources"), "indicator '\(entry.value.id)' ranks the unknown source '\(id)'" + (known.isEmpty ? "; add it to 'sources:' (id, name, aliases)" : "; did you mean " + known.map { "'\($0)'" }.joined(separator: " or ") + "?"))
            }
        }
        for entry in indicators where entry.value.weight != nil {
            let weight = entry.value.weight!
            if catalog.indicators[weight] == nil {
                sink.report(entry.file, entry.line(of: "weight"), "indicator '\(entry.value.id)' is weighted by the unknown indicator '\(weight)'\(hint(catalog.indicatorSuggestions(for: weight)))")
            }
        }
        for entry in indicators {
            guard let derivation = entry.value.derivation else { continue }
            for input in derivation.inputs {
                guard let found = catalog.indicators[input] else {
                    sink.report(entry.file, entry.line(of: "derive"), "indicator '\(entry.value.id)' is derived from the unknown indicator '\(input)'\(hint(catalog.indicatorSuggestions(for: input)))")
                    continue
                }
                if input == entry.value.id || found.derivation != nil {
                    sink.report(entry.file, entry.line(of: "derive"), "indicator '\(entry.value.id)' is derived from '\(input)', which is \(input == entry.value.id ? "itself" : "derived too"); derive from stored changes")
                } else if found.frequency != .annual {
                    sink.report(entry.file, entry.line(of: "derive"), "indicator '\(entry.value.id)' chains '\(input)', which is \(found.frequency.rawValue); yearly changes must be annual")
                }
            }
        }
        var regionSites: [String: Located<Region>] = [:]
        for entry in regions {
            let region = entry.value
            if let first = regionSites[region.code] {
                sink.report(entry.file, entry.line, "region code '\(region.code)' is already defined at \(site(first.file, first.line)); keep one")
                continue
            }
            regionSites[region.code] = entry
            if let clash = catalog.add(region) {
                sink.report(entry.file, entry.line, "region '\(region.code)' uses the name '\(clash.name)', which already means region '\(clash.owner)'; names and aliases must be unique")
            }
        }
        for entry in regions {
            let region = entry.value
            if let parent = region.parent, catalog.regions[parent] == nil {
                sink.report(entry.file, entry.line(of: "parent"), "region '\(region.code)' has the unknown parent '\(parent)'\(hint(catalog.regionSuggestions(for: parent)))")
            }
            guard let group = region.group else { continue }
            for member in group.members where catalog.regions[member] == nil {
                sink.report(entry.file, entry.line(of: "members"), "group '\(region.code)' has the unknown member '\(member)'\(hint(catalog.regionSuggestions(for: member)))")
            }
            if let weight = group.weight, catalog.indicators[weight] == nil {
                sink.report(entry.file, entry.line(of: "weight"), "group '\(region.code)' is weighted by the unknown indicator '\(weight)'\(hint(catalog.indicatorSuggestions(for: weight)))")
            }
            if PlanSetLoader.containsCycle(from: region.code, catalog: catalog) {
                sink.report(entry.file, entry.line, "group '\(region.code)' contains itself through its members; remove the cycle")
            }
        }
        var planSites: [String: Located<Plan>] = [:]
        var targetSites: [String: PendingTarget] = [:]
        var result: [Plan] = []
        for entry in plans {
            var plan = entry.value
            if let first = planSites[plan.id] {
                sink.report(entry.file, entry.line, "plan '\(plan.id)' is already defined at \(site(first.file, first.line)); plan ids must be unique")
                continue
            }
            planSites[plan.id] = entry
            for pending in pendingTargets[plan.id] ?? [] where pending.file == entry.file {
                if let first = targetSites[pending.id] {
                    sink.report(pending.file, pending.line, "target '\(pending.id)' is already defined at \(site(first.file, first.line)); target ids must be unique across plans")
                    continue
                }
                targetSites[pending.id] = pending
                check(pending, catalog: catalog)
                if let target = pending.target { plan.targets.append(target) }
            }
            result.append(plan)
        }
        for pending in orphanTargets {
            if let first = targetSites[pending.id] {
                sink.report(pending.file, pending.line, "target '\(pending.id)' is already defined at \(site(first.file, first.line)); target ids must be unique across plans")
                continue
            }
            targetSites[pending.id] = pending
            check(pending, catalog: catalog)
        }
        apply(globalMapping, label: "'mapping'", to: &catalog)
        // Each fetching source reads its files with the catalogue and mapping above, its own mapping over them,
        // and its id as their source.
        var readings: [String: SourceReading] = [:]
        for source in catalog.sources where source.fetch != nil {
            var own = catalog
            var mapping = globalMapping.mapping
            if let draft = sourceMappings[source.id] {
                apply(draft, label: "the 'mapping' of source '\(source.id)'", to: &own)
                mapping = mapping.overlaid(with: draft.mapping)
            }
            mapping.fileSource = source.id
            mapping.overridesVintage = source.fetch?.vintage == .fetched
            readings[source.id] = SourceReading(catalog: own, mapping: mapping)
        }
        if !sink.diagnostics.isEmpty { throw ConfigErrors(sink.diagnostics) }
        return PlanSet(catalog: catalog, plans: result, mapping: globalMapping.mapping, readings: readings)
    }

    /// Adds a mapping's names as aliases; a name mapped to something unknown, or already naming something else, is
    /// reported where it was written.
    private func apply(_ draft: MappingDraft, label: String, to catalog: inout Catalog) {
        for entry in draft.indicators {
            guard catalog.indicators[entry.id] != nil else {
                sink.report(entry.file, entry.line, "\(label) maps '\(entry.name)' to the unknown indicator '\(entry.id)'\(hint(catalog.indicatorSuggestions(for: entry.id)))")
                continue
            }
            if let owner = catalog.addAlias(entry.name, indicator: entry.id) {
                sink.report(entry.file, entry.line, "\(label) maps '\(entry.name)' to '\(entry.id)', but it already names indicator '\(owner)'")
            }
        }
        for entry in draft.regions {
            guard catalog.regions[entry.code] != nil else {
                sink.report(entry.file, entry.line, "\(label) maps '\(entry.name)' to the unknown region '\(entry.code)'\(hint(catalog.regionSuggestions(for: entry.code)))")
                continue
            }
            if let owner = catalog.addAlias(entry.name, region: entry.code) {
                sink.report(entry.file, entry.line, "\(label) maps '\(entry.name)' to '\(entry.code)', but it already names region '\(owner)'")
            }
        }
    }

    private func check(_ pending: PendingTarget, catalog: Catalog) {
        let what = "target '\(pending.id)'"
        var indicator: Indicator?
        if let id = pending.indicator {
            indicator = catalog.indicators[id]
            if indicator == nil {
                sink.report(pending.file, pending.indicatorLine, "\(what) uses the unknown indicator '\(id)'\(hint(catalog.indicatorSuggestions(for: id)))")
            }
        }
        var region: Region?
        if let code = pending.region {
            region = catalog.regions[code]
            if region == nil {
                sink.report(pending.file, pending.regionLine, "\(what) uses the unknown region '\(code)'\(hint(catalog.regionSuggestions(for: code)))")
            }
        }
        if let reference = pending.reference {
            checkReference(reference, what: what, file: pending.file, line: pending.referenceLine, catalog: catalog)
        }
        guard let indicator else { return }
        for (key, period) in pending.periods where period.frequency != indicator.frequency {
            sink.report(pending.file, pending.line, "'\(key)' of \(what) is \(period), \(period.frequency == .annual ? "an" : "a") \(period.frequency.rawValue) period, but indicator '\(indicator.id)' is \(indicator.frequency.rawValue); write the period as the indicator's data has it")
        }
        if let region, region.group != nil, !pending.isMilestone, catalog.aggregation(of: indicator, in: region) == nil {
            sink.report(pending.file, pending.regionLine, "\(what) is on the group '\(region.code)', but neither the group nor indicator '\(indicator.id)' says how to combine members; add 'aggregate:' to one of them")
        }
    }

    private func checkReference(_ reference: Reference, what target: String, file: String, line: Int?, catalog: Catalog) {
        let what = "the reference of \(target)"
        var codes: [String] = []
        var indicatorID: String?
        var weight: String?
        switch reference {
        case .constant: return
        case .region(let code, let indicator):
            codes = [code]
            indicatorID = indicator
        case .aggregate(let regions, _, let weightID, let indicator):
            codes = regions
            indicatorID = indicator
            weight = weightID
        }
        for code in codes where catalog.regions[code] == nil {
            sink.report(file, line, "\(what) uses the unknown region '\(code)'\(hint(catalog.regionSuggestions(for: code)))")
        }
        for id in [indicatorID, weight].compactMap({ $0 }) where catalog.indicators[id] == nil {
            sink.report(file, line, "\(what) uses the unknown indicator '\(id)'\(hint(catalog.indicatorSuggestions(for: id)))")
        }
    }

    private static func containsCycle(from start: String, catalog: Catalog) -> Bool {
        var stack = catalog.regions[start]?.group?.members ?? []
        var seen: Set<String> = []
        while let code = stack.popLast() {
            if code == start { return true }
            guard seen.insert(code).inserted else { continue }
            stack.append(contentsOf: catalog.regions[code]?.group?.members ?? [])
        }
        return false
    }

    private func site(_ file: String, _ line: Int?) -> String {
        line.map { "\(file):\($0)" } ?? file
    }

    private func hint(_ suggestions: [String]) -> String {
        suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"
    }
}

extension Catalog {
    /// How `region`'s members combine for `indicator`: the group's own aggregation, else the indicator's.
    public func aggregation(of indicator: Indicator, in region: Region) -> (aggregation: Aggregation, weight: String?)? {
        guard let group = region.group else { return nil }
        if let aggregate = group.aggregate { return (aggregate, group.weight ?? indicator.weight) }
        if let aggregate = indicator.aggregate { return (aggregate, indicator.weight) }
        return nil
    }
}
