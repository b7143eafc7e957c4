extension Evaluation {
    /// The evaluation as one line of JSON with sorted keys, every SPEC §5 field present (unknown numbers `null`),
    /// numbers with at most 12 significant digits. Written by hand because `JSONEncoder` took three quarters of the time
    /// of recording 10,000 evaluations (about 250 ms of 325 ms, measured with `planwatch evaluate --timings`);
    /// `JSONDecoder` reads it back (`EvaluationJSONTests` checks the round trip).
    public var json: String {
        var out = JSONWriter()
        out.open()
        out.field("actual_pace", actualPace)
        out.field("as_of", asOf)
        out.field("baseline_period", baselinePeriod)
        out.field("baseline_value", baselineValue)
        out.key("changes")
        if let changes {
            out.text += "["
            for (index, change) in changes.enumerated() {
                if index > 0 { out.text += "," }
                var item = JSONWriter()
                item.open()
                item.field("change", change.change)
                item.key("passed")
                item.text += change.passed ? "true" : "false"
                item.field("period", change.period)
                item.close()
                out.text += item.text
            }
            out.text += "]"
        } else {
            out.text += "null"
        }
        out.field("deadline", deadline)
        out.field("distance_covered", distanceCovered)
        out.field("indicator", indicator)
        out.field("kind", kind)
        out.field("latest_period", latestPeriod)
        out.field("latest_source", latestSource)
        out.field("latest_value", latestValue)
        out.field("message", message)
        out.key("missing")
        if let missing {
            var item = JSONWriter()
            item.open()
            item.field("period", missing.period)
            item.key("values")
            item.text += "[" + missing.values.map { value in
                var pair = JSONWriter()
                pair.open()
                pair.field("indicator", value.indicator)
                pair.field("region", value.region)
                pair.close()
                return pair.text
            }.joined(separator: ",") + "]"
            item.close()
            out.text += item.text
        } else {
            out.text += "null"
        }
        out.key("moving_away")
        out.text += movingAway ? "true" : "false"
        out.key("overdue")
        if let overdue {
            var item = JSONWriter()
            item.open()
            item.field("period", overdue.period)
            item.field("since", overdue.since)
            item.close()
            out.text += item.text
        } else {
            out.text += "null"
        }
        out.field("pace_ratio", paceRatio)
        out.field("plan", plan)
        out.field("projected_gap", projectedGap)
        out.field("projected_period", projectedPeriod)
        out.field("projected_reference", projectedReference)
        out.field("projected_value", projectedValue)
        out.field("region", region)
        out.field("remaining_pace", remainingPace)
        out.field("required_pace", requiredPace)
        out.field("severity", severity.rawValue)
        out.key("stale")
        out.text += stale ? "true" : "false"
        out.field("state", state.rawValue)
        out.field("target", target)
        out.field("target_value", targetValue)
        out.field("time_elapsed", timeElapsed)
        out.field("title", title)
        out.close()
        return out.text
    }
}

/// Builds one JSON object: keys in the order given, strings escaped per RFC 8259, numbers as JSON numbers.
struct JSONWriter {
    var text = ""
    private var first = true

    mutating func open() { text += "{" }
    mutating func close() { text += "}" }

    mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += "\"" + name + "\":"
    }

    mutating func field(_ name: String, _ value: String?) {
        key(name)
        guard let value else {
            text += "null"
            return
        }
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    mutating func field(_ name: String, _ value: Double?) {
        key(name)
        guard let value, value.isFinite else {
            text += "null"
            return
        }
        text += formatJSONNumber(value)
    }
}
