import Testing

@testable import PlanWatchCore

/// The daemon's decision of when to judge files that changed data, with hand-given times in seconds.
@Suite("SettleTimer")
struct SettleTimerTests {
    static func timer() -> SettleTimer { SettleTimer(settle: 2, longest: 60) }

    /// The times among `times` at which the work loop, waking then, evaluates.
    static func judged(_ timer: inout SettleTimer, at times: [Double]) -> [Double] {
        times.filter { timer.evaluateNow(at: $0) }
    }

    @Test func nothingIsDueBeforeAFileChangesData() {
        var timer = Self.timer()
        #expect(timer.deadline == nil)
        // A duplicate or a rejected file stores nothing: there is nothing to judge.
        timer.finishedFile(at: 10, changedData: false)
        #expect(timer.deadline == nil)
        let judged = Self.judged(&timer, at: [10, 12, 1000])
        #expect(judged == [])
    }

    @Test func aFileDroppedAloneIsJudgedOnceTheInboxHasBeenQuietForTheSettleTime() {
        var timer = Self.timer()
        timer.finishedFile(at: 100, changedData: true)
        #expect(timer.isPending)
        #expect(timer.deadline == 102)
        let judged = Self.judged(&timer, at: [100, 101.9, 102, 103, 200])
        #expect(judged == [102], "judged once")
        #expect(!timer.isPending && timer.deadline == nil)
    }

    @Test func filesArrivingTogetherAreJudgedOnceAfterTheLastOne() {
        var timer = Self.timer()
        var judged: [Double] = []
        // 79 files, one every 25 ms: each pushes the quiet time on, whether it changed data or not.
        for index in 0..<79 {
            let time = 100 + Double(index) * 0.025
            judged += Self.judged(&timer, at: [time])
            timer.finishedFile(at: time, changedData: index % 10 != 3)
        }
        let last: Double = 100 + 78 * 0.025  // 101.95
        #expect(timer.deadline == last + 2)
        judged += Self.judged(&timer, at: [103.9, 104, 105])
        #expect(judged == [104])
        #expect(timer.deadline == nil)
    }

    @Test func aLongDrainIsJudgedAtTheLongestWaitAndAgainAfterIt() {
        var timer = Self.timer()
        var judged: [Double] = []
        // A file every second for 150 s: the inbox is never quiet for 2 s.
        for second in 0...150 {
            let time = Double(second)
            judged += Self.judged(&timer, at: [time])
            timer.finishedFile(at: time, changedData: true)
        }
        #expect(judged == [60, 120])
        #expect(timer.deadline == 152, "the last files settle 2 s after the drain ends (120 + 60 is later)")
    }

    @Test func anEvaluationForAnotherReasonJudgesWhatWaits() {
        var timer = Self.timer()
        timer.finishedFile(at: 100, changedData: true)
        timer.evaluated()
        #expect(timer.deadline == nil)
        let judged = Self.judged(&timer, at: [102, 200])
        #expect(judged == [])
    }

    @Test func aSettleOfZeroJudgesAsSoonAsAFileIsDone() {
        var timer = SettleTimer(settle: 0, longest: 60)
        timer.finishedFile(at: 100, changedData: true)
        #expect(timer.deadline == 100)
        let judged = Self.judged(&timer, at: [100])
        #expect(judged == [100])
    }

    @Test func takesItsTimesFromTheScheduleSettings() throws {
        var settings = Settings()
        #expect(SettleTimer(settings) == SettleTimer(settle: 2, longest: 60))
        settings.settle = CalendarDuration(seconds: 5)
        settings.settleMax = CalendarDuration(seconds: 300)
        #expect(SettleTimer(settings) == SettleTimer(settle: 5, longest: 300))
    }
}
