using System.Globalization;

namespace RecordKv.Simulator;

/// <summary>What a simulator run emitted.</summary>
/// <param name="LastSeq">The highest seq emitted.</param>
/// <param name="Frames">Frames emitted (duplicates included).</param>
/// <param name="Commits">#commit frames.</param>
/// <param name="Operations">Record operations in those commits.</param>
/// <param name="Signatures">Commits signed (emitted or not).</param>
/// <param name="Accounts">Accounts created.</param>
/// <param name="Faults">Injected faults by name (only those that happened).</param>
/// <param name="Elapsed">Emission time.</param>
public sealed record SimulatorSummary(long LastSeq, long Frames, long Commits, long Operations, long Signatures, int Accounts, IReadOnlyDictionary<string, long> Faults, TimeSpan Elapsed)
{
    /// <summary>Frames per second over the emission time.</summary>
    public double FramesPerSecond => Elapsed.TotalSeconds > 0 ? Frames / Elapsed.TotalSeconds : 0;

    /// <summary>The one-line form printed when the CLI exits.</summary>
    public override string ToString()
    {
        var faults = Faults.Count == 0 ? "none" : string.Join(",", Faults.Select(pair => $"{pair.Key}={pair.Value}"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"sim: {Frames} frames (last seq {LastSeq}), {Commits} commits, {Operations} ops, {Signatures} signatures, {Accounts} accounts in {Elapsed.TotalSeconds:F1} s ({FramesPerSecond:F0} frames/s); faults: {faults}");
    }
}
