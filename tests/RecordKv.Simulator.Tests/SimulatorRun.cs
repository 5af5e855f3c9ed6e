namespace RecordKv.Simulator.Tests;

/// <summary>Starts a bounded simulator on a free loopback port for one test.</summary>
internal static class SimulatorRun
{
    public static SimulatorOptions Options(long events, long seed = 7, int accounts = 40, int records = 10) => new()
    {
        Port = 0,
        Seed = seed,
        Accounts = accounts,
        RecordsPerAccount = records,
        Rate = 0,
        Events = events,
        BatchSize = 256,
    };

    public static CancellationToken Timeout(int seconds = 180) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
