import PlanWatchCore
public let seedCount = embeddedSeedFiles.count
