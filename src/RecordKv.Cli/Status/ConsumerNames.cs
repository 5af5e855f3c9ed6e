using System.Text.RegularExpressions;

namespace RecordKv.Cli.Status;

/// <summary>Tells the names nats-server gives ephemeral consumers (8 random letters and digits; 22 since 2.10) from the durable names RecordKv uses (which have dashes).</summary>
internal static partial class ConsumerNames
{
    /// <summary>Whether <paramref name="name"/> has the shape of a server-generated ephemeral consumer name.</summary>
    public static bool LooksEphemeral(string name) => EphemeralPattern().IsMatch(name);

    [GeneratedRegex("^([A-Za-z0-9]{8}|[A-Za-z0-9]{22})$")]
    private static partial Regex EphemeralPattern();
}
