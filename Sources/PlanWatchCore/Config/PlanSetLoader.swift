import Yams

/// Reads plan and catalogue files in two passes: each file on its own (syntax, keys, types), then the references
/// between them (indicators, regions, groups, weights), so a catalogue may live in any file of the directory.
struct PlanSetLoader {
    struct Located<Value> {
        var value: Value
        var file: String
        var line: Int?
        /// Lines of keys checked in the second pass (`weight`, `parent`, `members`).
        var keyLines: [String: Int] = [:]

        func line(of key: String) -> Int? { keyLines[key] ?? line }
    }

    /// A target as read, with the lines of the keys whose references are checked in the second pass.
    struct PendingTarget {
        /// The target, when every key it needs was read.
        var target: Target?
        var id: String
        var file: String
        var line: Int?
        var indicator: String?
        var region: String?
        var reference: Reference?
        var isMilestone: Bool
        /// The periods read, by key, to check against the indicator's frequency.
        var periods: [(key: String, period: Period)]
        var indicatorLine: Int?
        var regionLine: Int?
        var referenceLine: Int?
        var indicatorGiven: Bool
    }

    let sink = DiagnosticSink()
    var indicators: [Located<Indicator>] = []
    var regions: [Located<Region>] = []
    var sources: [Located<DataSource>] = []
    var plans: [Located<Plan>] = []
    var pendingTargets: [String: [PendingTarget]] = [:]
    /// The `mapping:` sections, and each fetching source's own (`fetch: {mapping: …}`, by source id).
    var globalMapping = MappingDraft()
    var sourceMappings: [String: MappingDraft] = [:]

    /// A `mapping:` as read: source name → indicator id or region code, with where they were written, and the rest.
    struct MappingDraft {
        var indicators: [(name: String, id: String, file: String, line: Int?)] = []
        var regions: [(name: String, code: String, file: String, line: Int?)] = []
        var mapping = SourceMapping()
    }
    /// Targets of a plan whose own keys are broken: still checked, so every problem shows at once.
    var orphanTargets: [PendingTarget] = []

    mutating func read(_ file: ConfigFile, mappingOnly: Bool = false) {
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            sink.report(file.path, nil, "is not valid UTF-8; save it as UTF-8")
            return
        }
        let root: Node?
        do {
            // The basic resolver: every value is read as text and typed by the loader itself, so Yams' per-scalar
            // regular expressions for inferring types (a third of the loading time for large plans) are not run.
            root = try Yams.compose(yaml: text, Resolver.basic)
        } catch let error as YamlError {
            sink.report(file.path, PlanSetLoader.line(of: error), "is not valid YAML: \(PlanSetLoader.problem(of: error))")
            return
        } catch {
            sink.report(file.path, nil, "is not valid YAML: \(error)")
            return
        }
        guard let root else { return }  // an empty file defines nothing
        guard var top = YAMLMapping(root, what: "the file", file: file.path, sink: sink) else { return }
        if let node = top.node("mapping") { readMapping(node, file: file.path, label: "'mapping'", into: &globalMapping) }
        if mappingOnly { return }
        if let list = top.node("sources") { readSources(list, file: file.path) }
        if let list = top.node("indicators") { readIndicators(list, file: file.path) }
        if let list = top.node("regions") { readRegions(list, file: file.path, groups: false) }
        if let list = top.node("groups") { readRegions(list, file: file.path, groups: true) }
        let planNode = top.node("plan")
        let targetsNode = top.node("targets")
        if let planNode {
            readPlan(planNode, targets: targetsNode, file: file.path)
        } else if let targetsNode {
            sink.report(file.path, targetsNode.mark?.line, "has 'targets' but no 'plan'; add a 'plan:' section with id, title and issued")
        }
        top.finish()
    }

    /// The keys only some kinds of target read.
    static let kindKeys = [
        "compare", "value", "reference", "baseline", "deadline", "pace", "change", "min_change", "from", "to", "mode",
        "count", "min_rate", "percent",
    ]

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .duplicatedKeysInMapping(let keys, _):
            // Yams's own text quotes the whole file; name the key instead (the line is that of its first use).
            "the key\(keys.count == 1 ? "" : "s") \(keys.map { "'\($0)'" }.joined(separator: ", ")) \(keys.count == 1 ? "appears" : "appear") more than once in the same mapping; keep one"
        default: "\(error)"
        }
    }

    private func items(_ node: Node, key: String, file: String) -> [Node] {
        guard let sequence = node.sequence else {
            sink.report(file, node.mark?.line, "'\(key)' must be a list")
            return []
        }
        return Array(sequence)
    }

    private func readMapping(_ node: Node, file: String, label: String, into draft: inout MappingDraft) {
        guard var fields = YAMLMapping(node, what: label, file: file, sink: sink) else { return }
        for (key, isIndicator) in [("indicators", true), ("regions", false)] {
            guard let table = fields.node(key) else { continue }
            guard let pairs = table.mapping else {
                sink.report(file, table.mark?.line, "'\(key)' of \(label) must map source names to \(isIndicator ? "indicator ids" : "region codes"), e.g. SP.URB.TOTL.IN.ZS: urbanization_rate")
                continue
            }
            for (name, target) in pairs {
                if isIndicator, let source = name.scalar?.string, target.mapping != nil {
                    // The long form: `CODE: {indicator: ID, unit: U, scale: N, source: S}`.
                    guard var entry = YAMLMapping(target, what: "'\(source)' of 'indicators' of \(label)", file: file, sink: sink) else { continue }
                    let id = entry.string("indicator", required: true)
                    let unit = entry.string("unit")
                    let scale = entry.number("scale")
                    let publisher = entry.string("source")
                    entry.finish()
                    if let scale, !(scale > 0) {
                        entry.report(entry.lineOf("scale"), "'scale' of '\(source)' must be a positive factor, e.g. 1000 for values in thousands")
                    }
                    guard let id else { continue }
                    draft.indicators.append((source, id, file, name.mark?.line))
                    draft.mapping.entries[Catalog.normalize(source)] = SourceMapping.Entry(unit: unit, scale: scale, source: publisher)
                    continue
                }
                guard let source = name.scalar?.string, let id = target.scalar?.string else {
                    sink.report(file, name.mark?.line, "every entry of '\(key)' of \(label) must be NAME: \(isIndicator ? "INDICATOR or NAME: {indicator: INDICATOR, unit: UNIT, scale: FACTOR, source: SOURCE}" : "REGION")")
                    continue
                }
                if isIndicator {
                    draft.indicators.append((source, id, file, name.mark?.line))
                } else {
                    draft.regions.append((source, id, file, name.mark?.line))
                }
            }
        }
        if let sdmxNode = fields.node("sdmx"), var sdmx = YAMLMapping(sdmxNode, what: "'sdmx' of \(label)", file: file, sink: sink) {
            if let region = sdmx.string("region") { draft.mapping.sdmxRegion = region }
            if let indicators = sdmx.strings("indicator") { draft.mapping.sdmxIndicator = indicators }
            sdmx.finish()
        }
        if let encoding = fields.string("encoding") {
            if ["utf-8", "utf8", "gb18030", "gbk"].contains(encoding.lowercased()) {
                draft.mapping.encoding = encoding.lowercased()
            } else {
                fields.report(fields.lineOf("encoding"), "'encoding' of \(label) is '\(encoding)'; use 'utf-8' or 'gb18030' (GBK files are GB18030)")
            }
        }
        fields.finish()
    }

    private mutating func readIndicators(_ list: Node, file: String) {
        for item in items(list, key: "indicators", file: file) {
            let id = scalarValue(item, "id")
            guard var fields = YAMLMapping(item, what: "indicator '\(id ?? "?")'", file: file, sink: sink) else { continue }
            let id2 = fields.string("id", required: true)
            let name = fields.string("name", required: true)
            let nameZh = fields.string("name_zh")
            let unit = fields.string("unit", required: true)
            let direction: Direction? = fields.choice("direction")
            let frequency: Frequency? = fields.choice("frequency")
            let lag = fields.duration("publication_lag", required: true)
            let aggregate: Aggregation? = fields.choice("aggregate")
            let weight = fields.string("weight")
            let aliases = fields.strings("aliases") ?? []
            let ranking = fields.strings("sources") ?? []
            let derivation = fields.node("derive").flatMap { readDerivation($0, of: id2 ?? "?", file: file) }
            fields.finish()
            if derivation != nil, let frequency, frequency != .annual {
                fields.report(fields.lineOf("frequency"), "indicator '\(id2 ?? "?")' is derived from yearly changes ('derive'), so its frequency must be annual")
            }
            if let id2, !PlanSetLoader.isIdentifier(id2) {
                fields.report(fields.lineOf("id"), "indicator id '\(id2)' may hold only letters, digits, '_', '-' and '.'")
            }
            if aggregate == .weightedMean, weight == nil {
                fields.report(fields.lineOf("aggregate"), "indicator '\(id2 ?? "?")' has aggregate 'weighted_mean' but no 'weight'; name the weight indicator, e.g. weight: population")
            }
            guard let id2, let name, let unit, let lag else { continue }
            let indicator = Indicator(
                id: id2, name: name, nameZh: nameZh, unit: unit, direction: direction ?? .increase,
                frequency: frequency ?? .annual, publicationLag: lag, aggregate: aggregate, weight: weight,
                aliases: aliases)
            var ranked = indicator
            ranked.sources = ranking
            ranked.derivation = derivation
            indicators.append(Located(value: ranked, file: file, line: fields.line, keyLines: fields.keyLines(["weight", "sources", "derive"])))
        }
    }

    /// `derive: {chain: INDICATOR, base: YEAR, cumulative: INDICATOR}`: the index computed from yearly changes.
    private func readDerivation(_ node: Node, of indicator: String, file: String) -> Derivation? {
        guard var fields = YAMLMapping(node, what: "'derive' of indicator '\(indicator)'", file: file, sink: sink) else { return nil }
        let chain = fields.string("chain", required: true)
        let base = fields.period("base", required: true)
        let cumulative = fields.string("cumulative")
        fields.finish()
        if let base, base.frequency != .annual {
            fields.report(fields.lineOf("base"), "'base' of 'derive' of indicator '\(indicator)' is \(base); name the year the index is 100, e.g. base: 2020")
            return nil
        }
        guard let chain, let base else { return nil }
        return Derivation(chain: chain, base: base, cumulative: cumulative)
    }

    /// `sources:`: the catalogue of publishers, `- {id, name, aliases}`, in the order that ranks them.
    private mutating func readSources(_ list: Node, file: String) {
        for item in items(list, key: "sources", file: file) {
            let id = scalarValue(item, "id")
            guard var fields = YAMLMapping(item, what: "source '\(id ?? "?")'", file: file, sink: sink) else { continue }
            let id2 = fields.string("id", required: true)
            let name = fields.string("name", required: true)
            let aliases = fields.strings("aliases") ?? []
            let fetch = fields.node("fetch").flatMap { readFetch($0, of: id2 ?? "?", file: file) }
            fields.finish()
            if let id2, !PlanSetLoader.isIdentifier(id2) {
                fields.report(fields.lineOf("id"), "source id '\(id2)' may hold only letters, digits, '_', '-' and '.'")
            }
            guard let id2, let name else { continue }
            var source = DataSource(id: id2, name: name, aliases: aliases)
            source.fetch = fetch
            sources.append(Located(value: source, file: file, line: fields.line))
        }
    }

    /// `fetch: {url: http(s)://…, every: P1D, headers: {…}, timeout: 30s, ca_file: …, vintage: …, mapping: {…}}` or
    /// `fetch: {path: /mnt/…, …}`.
    private mutating func readFetch(_ node: Node, of source: String, file: String) -> FetchSpec? {
        let what = "'fetch' of source '\(source)'"
        guard var fields = YAMLMapping(node, what: what, file: file, sink: sink) else { return nil }
        let url = fields.string("url")
        let path = fields.string("path")
        let every = fields.duration("every")
        let timeout = fields.duration("timeout")
        let caFile = fields.string("ca_file")
        let vintageText = fields.string("vintage")
        var headers: [String: String] = [:]
        if let node = fields.node("headers") {
            if let mapping = node.mapping {
                for (key, value) in mapping { headers[key.scalar?.string ?? ""] = value.scalar?.string ?? "" }
            } else {
                fields.report(fields.lineOf("headers"), "'headers' of \(what) must map header names to values, e.g. {Accept: text/csv}")
            }
        }
        var draft: MappingDraft?
        if let node = fields.node("mapping") {
            var read = MappingDraft()
            readMapping(node, file: file, label: "'mapping' of \(what)", into: &read)
            draft = read
        }
        fields.finish()
        var vintage = FetchSpec.VintageRule.file
        if let vintageText {
            if let rule = FetchSpec.VintageRule(rawValue: vintageText) {
                vintage = rule
            } else {
                fields.report(fields.lineOf("vintage"), "'vintage' of \(what) is '\(vintageText)'; use file (what the file states, else the time it was fetched), last_modified (the server's Last-Modified for values whose file states none) or fetched (the time it was fetched, for every value)")
            }
        }
        var spec: FetchSpec
        switch (url, path) {
        case (let url?, nil):
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), url.count > "https://".count else {
                fields.report(fields.lineOf("url"), "'url' of \(what) is '\(url)'; give an http:// or https:// address (or path: for a file on a shared folder)")
                return nil
            }
            if caFile != nil, !lowered.hasPrefix("https://") {
                fields.report(fields.lineOf("ca_file"), "'ca_file' of \(what) is for an https:// address; '\(url)' is plain http")
            }
            spec = FetchSpec(location: .url(url), every: every, headers: headers, timeout: timeout)
        case (nil, let path?):
            if caFile != nil { fields.report(fields.lineOf("ca_file"), "'ca_file' of \(what) is for an https:// address, not a path") }
            spec = FetchSpec(location: .path(path), every: every, headers: headers)
        default:
            fields.report(fields.line, "\(what) needs exactly one of 'url' (http:// or https://) or 'path' (a file on a shared folder)")
            return nil
        }
        // A relative ca_file is the plan file's neighbour.
        let folder = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        spec.caFile = caFile.map { Settings.resolve($0, against: folder) }
        spec.vintage = vintage
        if let draft {
            spec.hasMapping = true
            sourceMappings[source] = draft
        }
        return spec
    }

    private mutating func readRegions(_ list: Node, file: String, groups: Bool) {
        let noun = groups ? "group" : "region"
        for item in items(list, key: groups ? "groups" : "regions", file: file) {
            let code = scalarValue(item, "code")
            guard var fields = YAMLMapping(item, what: "\(noun) '\(code ?? "?")'", file: file, sink: sink) else { continue }
            let code2 = fields.string("code", required: true)
            let name = fields.string("name", required: true)
            let nameZh = fields.string("name_zh")
            let aliases = fields.strings("aliases") ?? []
            var region: Region?
            if groups {
                let members = fields.strings("members", required: true)
                let aggregate: Aggregation? = fields.choice("aggregate")
                let weight = fields.string("weight")
                if aggregate == .weightedMean, weight == nil {
                    fields.report(fields.lineOf("aggregate"), "group '\(code2 ?? "?")' has aggregate 'weighted_mean' but no 'weight'; name the weight indicator")
                }
                if let members, members.isEmpty {
                    fields.report(fields.lineOf("members"), "group '\(code2 ?? "?")' has no members")
                }
                if let code2, let name, let members {
                    region = Region(
                        code: code2, name: name, nameZh: nameZh, level: .group, aliases: aliases,
                        group: RegionGroup(members: members, aggregate: aggregate, weight: weight))
                }
            } else {
                let gbCode = fields.string("gb_code")
                let level: RegionLevel? = fields.choice("level")
                let parent = fields.string("parent")
                if level == .group {
                    fields.report(fields.lineOf("level"), "region '\(code2 ?? "?")' has level 'group'; define groups under 'groups:'")
                }
                if let code2, let name {
                    region = Region(
                        code: code2, name: name, nameZh: nameZh, gbCode: gbCode, level: level ?? .province,
                        parent: parent, aliases: aliases)
                }
            }
            fields.finish()
            if let region {
                regions.append(Located(value: region, file: file, line: fields.line, keyLines: fields.keyLines(["parent", "members", "weight"])))
            }
        }
    }

    private mutating func readPlan(_ node: Node, targets: Node?, file: String) {
        let planID = scalarValue(node, "id")
        guard var fields = YAMLMapping(node, what: "plan '\(planID ?? "?")'", file: file, sink: sink) else { return }
        let id = fields.string("id", required: true)
        let title = fields.string("title", required: true)
        let titleZh = fields.string("title_zh")
        let issuedBy = fields.string("issued_by")
        let issuedText = fields.string("issued", required: true)
        let source = fields.string("source")
        let url = fields.string("url")
        fields.finish()
        var issued: CalendarDate?
        if let issuedText {
            issued = CalendarDate(parsing: issuedText)
            if issued == nil {
                fields.report(fields.lineOf("issued"), "'issued' of plan '\(id ?? "?")' is '\(issuedText)', not a date; write YYYY-MM-DD")
            }
        }
        var pending: [PendingTarget] = []
        if let targets {
            // Targets are checked even when the plan's own keys are broken, so every problem shows at once.
            let issueYear = issued ?? CalendarDate(year: 2000, month: 1, day: 1)
            for item in items(targets, key: "targets", file: file) {
                if let target = readTarget(item, planID: id ?? "?", issued: issueYear, file: file) { pending.append(target) }
            }
        } else {
            fields.report(nil, "plan '\(id ?? "?")' has no 'targets'; add at least one target")
        }
        guard let id, let title, let issued else {
            orphanTargets.append(contentsOf: pending)
            return
        }
        plans.append(Located(
            value: Plan(id: id, title: title, titleZh: titleZh, issuedBy: issuedBy, issued: issued, source: source,
                        url: url, file: file),
            file: file, line: fields.line))
        pendingTargets[id, default: []].append(contentsOf: pending)
    }

    private mutating func readTarget(_ node: Node, planID: String, issued: CalendarDate, file: String) -> PendingTarget? {
        let targetID = scalarValue(node, "id")
        guard var fields = YAMLMapping(node, what: "target '\(targetID ?? "?")'", file: file, sink: sink) else { return nil }
        let id = fields.string("id", required: true)
        let title = fields.string("title")
        let kindName = fields.string("kind", required: true)
        let indicatorGiven = fields.has("indicator")
        let indicator = fields.string("indicator", required: kindName != "milestone")
        let region = fields.string("region", required: true)
        let severity: Severity? = fields.choice("severity")
        let notes = fields.string("notes")
        let missingData = fields.string("missing_data")
        let repeatInterval = fields.duration("repeat_interval")
        let what = fields.what
        var kind: TargetKind?
        var reference: Reference?
        switch kindName {
        case "level":
            let compare: Comparison? = fields.choice("compare", required: true)
            let hasValue = fields.has("value")
            let hasReference = fields.has("reference")
            let value = fields.number("value")
            if hasValue == hasReference {
                fields.report(nil, "\(what) needs exactly one of 'value' (a number) or 'reference' (e.g. {region: CN})")
            } else if let value {
                reference = .constant(value)
            } else if let node = fields.node("reference") {
                reference = readReference(node, what: what, file: file)
            }
            let baseline = fields.period("baseline", required: true)
            let deadline = fields.period("deadline", required: true)
            let pace: Pace? = fields.choice("pace")
            checkOrder(baseline, deadline, fields: fields)
            if let compare, let reference, let baseline, let deadline {
                kind = .level(compare: compare, reference: reference, baseline: baseline, deadline: deadline, pace: pace ?? .linear)
            }
        case "annual_change":
            let change: ChangeKind? = fields.choice("change")
            let minChange = fields.number("min_change", required: true)
            let from = fields.period("from", required: true)
            let to = fields.period("to", required: true)
            let modeName = fields.string("mode") ?? "every_period"
            var mode: ChangeMode?
            switch modeName {
            case "every_period": mode = .everyPeriod
            case "average": mode = .average
            case "consecutive":
                if let count = fields.number("count", required: true) {
                    if count >= 1, count == count.rounded() {
                        mode = .consecutive(count: Int(count))
                    } else {
                        fields.report(fields.lineOf("count"), "'count' of \(what) must be a whole number of periods, at least 1")
                    }
                }
            default:
                fields.report(fields.lineOf("mode"), "'mode' of \(what) is '\(modeName)'; use one of 'every_period', 'average', 'consecutive'")
            }
            if let from, let to, from > to {
                fields.report(fields.lineOf("to"), "\(what) ends ('to' \(to)) before it starts ('from' \(from))")
            }
            if case .consecutive(let count) = mode, let from, let to, from <= to {
                let periods = PlanSetLoader.periods(from: from, to: to)
                if count > periods {
                    fields.report(fields.lineOf("count"), "'count' of \(what) is \(count) but the window \(from)–\(to) has only \(counted(periods, "period"))")
                }
            }
            if let minChange, let from, let to, let mode {
                kind = .annualChange(change: change ?? .absolute, minChange: minChange, from: from, to: to, mode: mode)
            }
        case "growth":
            let minRate = fields.number("min_rate", required: true)
            let from = fields.period("from", required: true)
            let to = fields.period("to", required: true)
            if let from, let to, from >= to {
                fields.report(fields.lineOf("to"), "'to' of \(what) (\(to)) must come after 'from' (\(from))")
            }
            if let minRate, let from, let to { kind = .growth(minRate: minRate, from: from, to: to) }
        case "cumulative_change":
            let percent = fields.number("percent", required: true)
            let baseline = fields.period("baseline", required: true)
            let deadline = fields.period("deadline", required: true)
            if let percent, percent == 0 || percent <= -100 {
                fields.report(fields.lineOf("percent"), "'percent' of \(what) must be a change other than 0 and above -100")
            }
            checkOrder(baseline, deadline, fields: fields)
            if let percent, let baseline, let deadline { kind = .cumulativeChange(percent: percent, baseline: baseline, deadline: deadline) }
        case "milestone":
            let baseline = fields.period("baseline") ?? Period(year: issued.year)
            let deadline = fields.period("deadline", required: true)
            checkOrder(baseline, deadline, fields: fields)
            if let deadline { kind = .milestone(baseline: baseline, deadline: deadline) }
        case nil:
            // Without a known kind its keys cannot be judged; reporting each as unknown would bury the real problem.
            for key in PlanSetLoader.kindKeys { _ = fields.has(key) }
        case let other?:
            fields.report(fields.lineOf("kind"), "'kind' of \(what) is '\(other)'; use one of 'level', 'annual_change', 'growth', 'cumulative_change', 'milestone'")
            for key in PlanSetLoader.kindKeys { _ = fields.has(key) }
        }
        fields.finish()
        if let id, !PlanSetLoader.isIdentifier(id) {
            fields.report(fields.lineOf("id"), "target id '\(id)' may hold only letters, digits, '_', '-' and '.'")
        }
        guard let id else { return nil }
        let indicatorID = indicator ?? (kindName == "milestone" ? id : nil)
        var target: Target?
        if let region, let kind, let indicatorID {
            target = Target(
                id: id, title: title, kind: kind, indicator: indicatorID, region: region, severity: severity ?? .warning,
                notes: notes, repeatInterval: repeatInterval, file: file, line: fields.line)
            target?.missingData = missingData
        }
        var periods: [(key: String, period: Period)] = []
        for key in ["baseline", "deadline", "from", "to"] where fields.has(key) {
            if let text = fields.string(key), let period = Period(parsing: text) { periods.append((key, period)) }
        }
        return PendingTarget(
            target: target, id: id, file: file, line: fields.line, indicator: indicatorID, region: region,
            reference: reference, isMilestone: kindName == "milestone", periods: periods,
            indicatorLine: fields.lineOf("indicator"), regionLine: fields.lineOf("region"),
            referenceLine: fields.lineOf("reference"), indicatorGiven: indicatorGiven)
    }

    private func checkOrder(_ baseline: Period?, _ deadline: Period?, fields: YAMLMapping) {
        guard let baseline, let deadline, baseline >= deadline else { return }
        fields.report(fields.lineOf("deadline"), "'deadline' of \(fields.what) (\(deadline)) must come after its baseline (\(baseline))")
    }

    private func readReference(_ node: Node, what: String, file: String) -> Reference? {
        guard var fields = YAMLMapping(node, what: "the reference of \(what)", file: file, sink: sink) else { return nil }
        let region = fields.string("region")
        let regions = fields.strings("regions")
        let aggregate: Aggregation? = fields.choice("aggregate")
        let weight = fields.string("weight")
        let indicator = fields.string("indicator")
        fields.finish()
        switch (region, regions) {
        case (let region?, nil):
            if aggregate != nil || weight != nil {
                fields.report(fields.lineOf("aggregate"), "the reference of \(what) names one region; 'aggregate' and 'weight' apply to 'regions' only")
            }
            return .region(region, indicator: indicator)
        case (nil, let regions?):
            guard let aggregate else {
                fields.report(nil, "the reference of \(what) lists regions but no 'aggregate'; add aggregate: mean, sum or weighted_mean")
                return nil
            }
            if aggregate == .weightedMean, weight == nil {
                fields.report(fields.lineOf("aggregate"), "the reference of \(what) uses 'weighted_mean' but no 'weight'; name the weight indicator")
                return nil
            }
            if regions.isEmpty {
                fields.report(fields.lineOf("regions"), "the reference of \(what) lists no regions")
                return nil
            }
            return .aggregate(regions: regions, aggregation: aggregate, weight: weight, indicator: indicator)
        default:
            fields.report(nil, "the reference of \(what) needs exactly one of 'region' (e.g. CN) or 'regions' (a list with 'aggregate')")
            return nil
        }
    }

    /// The text of `key` in a mapping node, found by comparing key strings: Yams' `Node.Mapping` subscript compares
    /// nodes, which resolves tags through regular expressions and costs more than the rest of the loading.
    private func scalarValue(_ node: Node, _ key: String) -> String? {
        guard let mapping = node.mapping else { return nil }
        for (name, value) in mapping where name.scalar?.string == key { return value.scalar?.string }
        return nil
    }

    static func periods(from: Period, to: Period) -> Int {
        var count = 1
        var period = from
        while period < to, count <= 10_000 {
            period = period.next
            count += 1
        }
        return count
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_-.".unicodeScalars.contains($0)
        }
    }
}
