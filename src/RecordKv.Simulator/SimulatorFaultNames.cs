namespace RecordKv.Simulator;

/// <summary>The command-line names of <see cref="SimulatorFault"/> values (<c>bad-signature</c>, <c>getrepo-429</c>, ...).</summary>
public static class SimulatorFaultNames
{
    private static readonly (SimulatorFault Fault, string Name)[] Names =
    [
        (SimulatorFault.BadSignature, "bad-signature"),
        (SimulatorFault.WrongKey, "wrong-key"),
        (SimulatorFault.HighS, "high-s"),
        (SimulatorFault.MissingProofBlock, "missing-proof-block"),
        (SimulatorFault.PrevDataGap, "prevdata-gap"),
        (SimulatorFault.StaleRev, "stale-rev"),
        (SimulatorFault.DuplicateFrame, "duplicate-frame"),
        (SimulatorFault.MalformedCbor, "malformed-cbor"),
        (SimulatorFault.TruncatedCar, "truncated-car"),
        (SimulatorFault.OversizedFrame, "oversized-frame"),
        (SimulatorFault.UnknownEventType, "unknown-event-type"),
        (SimulatorFault.GetRepoError, "getrepo-500"),
        (SimulatorFault.GetRepoRateLimited, "getrepo-429"),
        (SimulatorFault.GetRepoSlow, "getrepo-slow"),
        (SimulatorFault.GetRepoTruncated, "getrepo-truncated"),
    ];

    /// <summary>Every fault with its name.</summary>
    public static IReadOnlyList<(SimulatorFault Fault, string Name)> All => Names;

    /// <summary>The name of a fault.</summary>
    public static string NameOf(SimulatorFault fault)
    {
        foreach (var (candidate, name) in Names)
        {
            if (candidate == fault)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(fault), fault, "Unknown fault.");
    }

    /// <summary>Parses <c>name=rate</c> (rate in [0, 1]).</summary>
    /// <exception cref="FormatException">The name is unknown or the rate is not a number in [0, 1].</exception>
    public static (SimulatorFault Fault, double Rate) ParseAssignment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? text : text[..equals];
        var rateText = equals < 0 ? "1" : text[(equals + 1)..];
        foreach (var (fault, candidate) in Names)
        {
            if (candidate == name)
            {
                if (!double.TryParse(rateText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rate) || !(rate >= 0 && rate <= 1))
                {
                    throw new FormatException($"fault '{name}': rate '{rateText}' is not a number in [0, 1]");
                }

                return (fault, rate);
            }
        }

        var known = new List<string>();
        foreach (var (_, candidate) in Names)
        {
            known.Add(candidate);
        }

        throw new FormatException($"unknown fault '{name}' (known: {string.Join(", ", known)})");
    }
}
