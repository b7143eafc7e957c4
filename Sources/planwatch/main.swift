import PlanWatchRuntime
print(seedCount)
