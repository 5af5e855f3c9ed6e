namespace RecordKv.Pipeline.Tests;

/// <summary>What <see cref="SimulatorFeeder"/> published.</summary>
internal readonly record struct FeedResult(int Published, int Dropped, long LastSeq);
